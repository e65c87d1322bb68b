import type { TeamSummary } from "@/server/catalogue/contract";

export type TeamNode = TeamSummary & {
  children: TeamNode[];
  depth: number;
  /** Totals over the team and everything below it (a person in two squads counts twice). */
  totalMembers: number;
  totalServices: number;
};

const typeOrder: Record<string, number> = { department: 0, tribe: 1, team: 2, squad: 2 };

/** Arranges teams by their parent; a team whose parent is not in the list becomes a root. */
export function buildTeamTree(teams: TeamSummary[]): TeamNode[] {
  const byName = new Map<string, TeamNode>(teams.map((t) => [t.name, { ...t, children: [], depth: 0, totalMembers: 0, totalServices: 0 }]));
  const roots: TeamNode[] = [];
  for (const node of byName.values()) {
    const parent = node.parent ? byName.get(node.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes: TeamNode[]) =>
    nodes.sort((a, b) => (typeOrder[a.type] ?? 9) - (typeOrder[b.type] ?? 9) || (a.title ?? a.name).localeCompare(b.title ?? b.name));
  const visit = (node: TeamNode, depth: number, seen: Set<string>) => {
    // Guards against a parent cycle in hand-written descriptors.
    if (seen.has(node.name)) return;
    seen.add(node.name);
    node.depth = depth;
    sort(node.children);
    node.totalMembers = node.memberCount;
    node.totalServices = node.serviceCount;
    for (const child of node.children) {
      visit(child, depth + 1, seen);
      node.totalMembers += child.totalMembers;
      node.totalServices += child.totalServices;
    }
  };
  sort(roots);
  const seen = new Set<string>();
  for (const root of roots) visit(root, 0, seen);
  return roots;
}

/** The tree in display order, keeping only matches and the ancestors that lead to them. */
export function flattenTeamTree(roots: TeamNode[], matches?: (t: TeamNode) => boolean): Array<{ node: TeamNode; matched: boolean }> {
  const rows: Array<{ node: TeamNode; matched: boolean }> = [];
  const walk = (node: TeamNode): boolean => {
    const index = rows.length;
    const matched = matches ? matches(node) : true;
    rows.push({ node, matched });
    let keep = matched;
    for (const child of node.children) keep = walk(child) || keep;
    if (!keep) rows.splice(index);
    return keep;
  };
  for (const root of roots) walk(root);
  return rows;
}

export function descendantNames(teams: TeamSummary[], name: string): string[] {
  const names: string[] = [];
  const queue = [name];
  while (queue.length) {
    const current = queue.shift()!;
    for (const t of teams) {
      if (t.parent === current && !names.includes(t.name) && t.name !== name) {
        names.push(t.name);
        queue.push(t.name);
      }
    }
  }
  return names;
}
