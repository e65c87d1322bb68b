import "server-only";
import { stringify } from "yaml";
import type { DbTx } from "../../shared/db";
import { ValidationError } from "../../shared/errors";
import type { ImportError, ImportResult, ServiceKind } from "../types";
import type { Descriptor } from "./descriptor-schemas";
import { parseEntityRef } from "./entity-ref";
import { parseDescriptors, type ParsedDescriptor } from "./parse-descriptors";

type Of<K extends Descriptor["kind"]> = ParsedDescriptor & { descriptor: Extract<Descriptor, { kind: K }> };

const serviceKindOf = { Component: "component", API: "api", Resource: "resource" } as const;

/** Where a descriptor says which tier a service is: our annotation, or a `tier` label ("1", "tier-1"). */
export function tierOf(d: Descriptor): number | null {
  const raw = d.metadata.annotations?.["slipway.io/tier"] ?? d.metadata.labels?.["tier"];
  const match = raw ? /^(?:tier[-_ ]?)?(\d)$/i.exec(raw.trim()) : null;
  return match ? Number(match[1]) : null;
}

export function repositoryUrlOf(d: Descriptor): string | null {
  const source = d.metadata.annotations?.["backstage.io/source-location"];
  if (source?.startsWith("url:")) return source.slice(4).replace(/\/tree\/[^/]+\/?$/, "");
  const slug = d.metadata.annotations?.["github.com/project-slug"];
  if (slug && /^[\w.-]+\/[\w.-]+$/.test(slug)) return `https://github.com/${slug}`;
  const gitlab = d.metadata.annotations?.["gitlab.com/project-slug"];
  if (gitlab && /^[\w./-]+$/.test(gitlab)) return `https://gitlab.com/${gitlab}`;
  return null;
}

type Resolved = {
  groups: Of<"Group">[];
  users: Of<"User">[];
  systems: Array<Of<"System"> | Of<"Domain">>;
  services: Array<Of<"Component"> | Of<"API"> | Of<"Resource">>;
  /** group name -> parent group name, from `parent` and from other groups' `children`. */
  parents: Map<string, string>;
  /** memberships the import states, as group name -> person names. */
  membersOfGroup: Map<string, Set<string>>;
  groupsOfUser: Map<string, Set<string>>;
  owners: Map<ParsedDescriptor, string>;
  edges: Map<ParsedDescriptor, Array<{ relation: string; targetKind: string; targetName: string }>>;
};

/** Checks every document and every reference; returns what to write, or every error found. */
async function resolve(db: DbTx, descriptors: ParsedDescriptor[], errors: ImportError[]): Promise<Resolved> {
  const seen = new Map<string, ParsedDescriptor>();
  const r: Resolved = {
    groups: [],
    users: [],
    systems: [],
    services: [],
    parents: new Map(),
    membersOfGroup: new Map(),
    groupsOfUser: new Map(),
    owners: new Map(),
    edges: new Map(),
  };
  for (const p of descriptors) {
    const d = p.descriptor;
    const key = `${d.kind.toLowerCase()}:${d.metadata.name}`;
    const first = seen.get(key);
    if (first) {
      errors.push({ document: p.document, line: p.lineOf(["metadata", "name"]), message: `${key} is also defined in document ${first.document}` });
      continue;
    }
    seen.set(key, p);
    if (d.kind === "Group") r.groups.push(p as Of<"Group">);
    else if (d.kind === "User") r.users.push(p as Of<"User">);
    else if (d.kind === "System" || d.kind === "Domain") r.systems.push(p as Of<"System"> | Of<"Domain">);
    else r.services.push(p as Of<"Component"> | Of<"API"> | Of<"Resource">);
  }

  // References to groups and users must resolve in this import or in the catalogue.
  const wantedGroups = new Map<string, Array<{ p: ParsedDescriptor; path: Array<string | number> }>>();
  const wantedUsers = new Map<string, Array<{ p: ParsedDescriptor; path: Array<string | number> }>>();
  const want = (map: typeof wantedGroups, name: string, p: ParsedDescriptor, path: Array<string | number>) => {
    const list = map.get(name) ?? [];
    list.push({ p, path });
    map.set(name, list);
  };
  const ref = (p: ParsedDescriptor, path: Array<string | number>, value: string, def: string, allowed: string[]) => {
    const parsed = parseEntityRef(value, def, allowed);
    if ("error" in parsed) {
      errors.push({ document: p.document, line: p.lineOf(path), message: `${path.join(".")}: ${parsed.error}` });
      return undefined;
    }
    return parsed;
  };
  const addMember = (group: string, user: string) => {
    r.membersOfGroup.set(group, (r.membersOfGroup.get(group) ?? new Set()).add(user));
    r.groupsOfUser.set(user, (r.groupsOfUser.get(user) ?? new Set()).add(group));
  };

  for (const p of [...r.services, ...r.systems]) {
    const owner = ref(p, ["spec", "owner"], p.descriptor.spec.owner, "group", ["group", "user"]);
    if (owner?.kind === "user") {
      errors.push({ document: p.document, line: p.lineOf(["spec", "owner"]), message: "spec.owner: Slipway needs a group (squad) as owner so there is a team to reach; a person cannot own a service" });
    } else if (owner) {
      r.owners.set(p, owner.name);
      want(wantedGroups, owner.name, p, ["spec", "owner"]);
    }
  }
  for (const p of r.groups) {
    const { parent, children, members } = p.descriptor.spec;
    if (parent) {
      const g = ref(p, ["spec", "parent"], parent, "group", ["group"]);
      if (g) {
        r.parents.set(p.descriptor.metadata.name, g.name);
        want(wantedGroups, g.name, p, ["spec", "parent"]);
      }
    }
    children.forEach((c, i) => {
      const g = ref(p, ["spec", "children", i], c, "group", ["group"]);
      if (g) {
        r.parents.set(g.name, p.descriptor.metadata.name);
        want(wantedGroups, g.name, p, ["spec", "children", i]);
      }
    });
    members?.forEach((m, i) => {
      const u = ref(p, ["spec", "members", i], m, "user", ["user"]);
      if (u) {
        addMember(p.descriptor.metadata.name, u.name);
        want(wantedUsers, u.name, p, ["spec", "members", i]);
      }
    });
  }
  for (const p of r.users) {
    p.descriptor.spec.memberOf?.forEach((m, i) => {
      const g = ref(p, ["spec", "memberOf", i], m, "group", ["group"]);
      if (g) {
        addMember(g.name, p.descriptor.metadata.name);
        want(wantedGroups, g.name, p, ["spec", "memberOf", i]);
      }
    });
  }
  for (const p of r.services) {
    const d = p.descriptor;
    const edges: Array<{ relation: string; targetKind: string; targetName: string }> = [];
    const add = (relation: string, list: string[] | undefined, field: string, def: string, allowed: string[]) =>
      list?.forEach((value, i) => {
        const t = ref(p, ["spec", field, i], value, def, allowed);
        if (t && !edges.some((e) => e.relation === relation && e.targetKind === t.kind && e.targetName === t.name)) {
          edges.push({ relation, targetKind: t.kind, targetName: t.name });
        }
      });
    if (d.kind === "Component" || d.kind === "Resource") add("dependsOn", d.spec.dependsOn, "dependsOn", "component", ["component", "resource"]);
    if (d.kind === "Component") {
      add("providesApi", d.spec.providesApis, "providesApis", "api", ["api"]);
      add("consumesApi", d.spec.consumesApis, "consumesApis", "api", ["api"]);
    }
    r.edges.set(p, edges);
  }

  const importedGroups = new Set(r.groups.map((g) => g.descriptor.metadata.name));
  const importedUsers = new Set(r.users.map((u) => u.descriptor.metadata.name));
  const missingGroups = [...wantedGroups.keys()].filter((n) => !importedGroups.has(n));
  const missingUsers = [...wantedUsers.keys()].filter((n) => !importedUsers.has(n));
  const [knownGroups, knownUsers] = await Promise.all([
    missingGroups.length ? db.team.findMany({ where: { name: { in: missingGroups } }, select: { name: true } }) : [],
    missingUsers.length ? db.person.findMany({ where: { name: { in: missingUsers } }, select: { name: true } }) : [],
  ]);
  const known = (list: Array<{ name: string }>) => new Set(list.map((x) => x.name));
  const report = (map: typeof wantedGroups, names: string[], have: Set<string>, what: string) => {
    for (const name of names.filter((n) => !have.has(n))) {
      for (const { p, path } of map.get(name)!) {
        errors.push({ document: p.document, line: p.lineOf(path), message: `${path.join(".")}: ${what} "${name}" is neither in this import nor in the catalogue` });
      }
    }
  };
  report(wantedGroups, missingGroups, known(knownGroups), "group");
  report(wantedUsers, missingUsers, known(knownUsers), "user");

  // People are matched to sign-ins by email, so an email can belong to one person only.
  const emails = new Map<string, ParsedDescriptor>();
  for (const p of r.users) {
    const email = p.descriptor.spec.profile?.email?.toLowerCase();
    if (!email) continue;
    const other = emails.get(email);
    if (other) errors.push({ document: p.document, line: p.lineOf(["spec", "profile", "email"]), message: `spec.profile.email: ${email} is also the email of document ${other.document}` });
    emails.set(email, p);
  }
  if (emails.size) {
    const taken = await db.person.findMany({ where: { email: { in: [...emails.keys()] } }, select: { name: true, email: true } });
    for (const t of taken) {
      const p = emails.get(t.email!)!;
      if (p.descriptor.metadata.name !== t.name) {
        errors.push({ document: p.document, line: p.lineOf(["spec", "profile", "email"]), message: `spec.profile.email: ${t.email} already belongs to user "${t.name}"` });
      }
    }
  }
  return r;
}

type Counts = ImportResult;

async function write(tx: DbTx, r: Resolved): Promise<Counts> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  const tally = (existing: { sourceHash: string | null } | undefined, hash: string) => {
    if (!existing) counts.created++;
    else if (existing.sourceHash === hash) counts.unchanged++;
    else counts.updated++;
    return !existing || existing.sourceHash !== hash;
  };

  // Groups first: everything else points at them.
  const existingTeams = new Map(
    (await tx.team.findMany({ where: { name: { in: r.groups.map((g) => g.descriptor.metadata.name) } }, select: { name: true, sourceHash: true } })).map((t) => [t.name, t]),
  );
  for (const p of r.groups) {
    const d = p.descriptor;
    if (!tally(existingTeams.get(d.metadata.name), p.hash)) continue;
    const fields = {
      title: d.metadata.title ?? d.spec.profile?.displayName ?? null,
      description: d.metadata.description ?? null,
      type: d.spec.type,
      email: d.spec.profile?.email ?? null,
      pictureUrl: d.spec.profile?.picture ?? null,
      chatChannel: d.metadata.annotations?.["slipway.io/chat-channel"] ?? null,
      links: d.metadata.links ?? [],
      sourceHash: p.hash,
    };
    await tx.team.upsert({ where: { name: d.metadata.name }, create: { name: d.metadata.name, ...fields }, update: fields });
  }
  const groupNames = new Set<string>([...r.owners.values(), ...r.parents.keys(), ...r.parents.values(), ...r.membersOfGroup.keys()]);
  const teamIds = new Map(
    (await tx.team.findMany({ where: { name: { in: [...groupNames] } }, select: { id: true, name: true } })).map((t) => [t.name, t.id]),
  );
  for (const [child, parent] of r.parents) {
    if (child === parent) continue;
    await tx.team.update({ where: { name: child }, data: { parentId: teamIds.get(parent) ?? null } });
  }

  const existingPeople = new Map(
    (await tx.person.findMany({ where: { name: { in: r.users.map((u) => u.descriptor.metadata.name) } }, select: { name: true, sourceHash: true } })).map((x) => [x.name, x]),
  );
  for (const p of r.users) {
    const d = p.descriptor;
    if (!tally(existingPeople.get(d.metadata.name), p.hash)) continue;
    const fields = {
      displayName: d.spec.profile?.displayName ?? d.metadata.title ?? null,
      email: d.spec.profile?.email?.toLowerCase() ?? null,
      pictureUrl: d.spec.profile?.picture ?? null,
      sourceHash: p.hash,
    };
    await tx.person.upsert({ where: { name: d.metadata.name }, create: { name: d.metadata.name, ...fields }, update: fields });
  }

  // Memberships: an imported group with `members`, or an imported user with `memberOf`, states its whole set.
  const personNames = new Set<string>([...r.groupsOfUser.keys(), ...r.users.map((u) => u.descriptor.metadata.name)]);
  const personIds = new Map(
    (await tx.person.findMany({ where: { name: { in: [...personNames] } }, select: { id: true, name: true } })).map((x) => [x.name, x.id]),
  );
  for (const p of r.groups) {
    if (!p.descriptor.spec.members) continue;
    const teamId = teamIds.get(p.descriptor.metadata.name) ?? (await tx.team.findUnique({ where: { name: p.descriptor.metadata.name } }))!.id;
    teamIds.set(p.descriptor.metadata.name, teamId);
    const keep = [...(r.membersOfGroup.get(p.descriptor.metadata.name) ?? [])].map((n) => personIds.get(n)!).filter(Boolean);
    await tx.membership.deleteMany({ where: { teamId, personId: { notIn: keep } } });
  }
  for (const p of r.users) {
    if (!p.descriptor.spec.memberOf) continue;
    const personId = personIds.get(p.descriptor.metadata.name)!;
    const keep = [...(r.groupsOfUser.get(p.descriptor.metadata.name) ?? [])].map((n) => teamIds.get(n)!).filter(Boolean);
    await tx.membership.deleteMany({ where: { personId, teamId: { notIn: keep } } });
  }
  const pairs = [...r.membersOfGroup].flatMap(([group, people]) =>
    [...people].map((person) => ({ teamId: teamIds.get(group)!, personId: personIds.get(person)! })),
  );
  if (pairs.length) await tx.membership.createMany({ data: pairs.filter((x) => x.teamId && x.personId), skipDuplicates: true });

  const existingSystems = new Map(
    (await tx.system.findMany({ where: { OR: r.systems.map((s) => ({ kind: s.descriptor.kind.toLowerCase(), name: s.descriptor.metadata.name })) }, select: { kind: true, name: true, sourceHash: true } })).map((x) => [`${x.kind}:${x.name}`, x]),
  );
  for (const p of r.systems) {
    const d = p.descriptor;
    const kind = d.kind.toLowerCase();
    if (!tally(existingSystems.get(`${kind}:${d.metadata.name}`), p.hash)) continue;
    const parent = d.kind === "System" ? d.spec.domain : d.spec.subdomainOf;
    const fields = {
      title: d.metadata.title ?? null,
      description: d.metadata.description ?? null,
      ownerTeamId: teamIds.get(r.owners.get(p)!) ?? null,
      parentName: parent ? (parseEntityRef(parent, "domain", ["domain"]) as { name?: string }).name ?? null : null,
      sourceHash: p.hash,
    };
    await tx.system.upsert({ where: { kind_name: { kind, name: d.metadata.name } }, create: { kind, name: d.metadata.name, ...fields }, update: fields });
  }

  const existingServices = new Map(
    (r.services.length
      ? await tx.service.findMany({ where: { OR: r.services.map((s) => ({ kind: serviceKindOf[s.descriptor.kind], name: s.descriptor.metadata.name })) }, select: { id: true, kind: true, name: true, sourceHash: true } })
      : []
    ).map((x) => [`${x.kind}:${x.name}`, x]),
  );
  for (const p of r.services) {
    const d = p.descriptor;
    const kind: ServiceKind = serviceKindOf[d.kind];
    const existing = existingServices.get(`${kind}:${d.metadata.name}`);
    if (!tally(existing, p.hash)) continue;
    const system = d.spec.system ? parseEntityRef(d.spec.system, "system", ["system"]) : undefined;
    const fields = {
      title: d.metadata.title ?? null,
      description: d.metadata.description ?? null,
      type: d.spec.type,
      lifecycle: d.kind === "Resource" ? "production" : d.spec.lifecycle,
      tier: tierOf(d),
      tags: d.metadata.tags ?? [],
      links: d.metadata.links ?? [],
      annotations: d.metadata.annotations ?? {},
      systemName: system && !("error" in system) ? system.name : null,
      repositoryUrl: repositoryUrlOf(d),
      definition: d.kind === "API" ? (typeof d.spec.definition === "string" ? d.spec.definition : stringify(d.spec.definition)) : null,
      teamId: teamIds.get(r.owners.get(p)!) ?? null,
      sourceHash: p.hash,
    };
    const saved = await tx.service.upsert({
      where: { kind_name: { kind, name: d.metadata.name } },
      create: { kind, name: d.metadata.name, ...fields },
      update: fields,
      select: { id: true },
    });
    await tx.dependency.deleteMany({ where: { serviceId: saved.id } });
    const edges = r.edges.get(p) ?? [];
    if (edges.length) await tx.dependency.createMany({ data: edges.map((e) => ({ serviceId: saved.id, ...e })) });
  }
  return counts;
}

export type ImportPlan = {
  resolved: Resolved;
  /** Squads whose services the import creates or changes (current and new owners); null for unowned. */
  teams: Array<string | null>;
  /** Whether the import touches the organisation (groups, users, systems, domains). */
  organisation: boolean;
  documents: number;
};

/**
 * Checks an import of Backstage descriptors: any invalid document rejects the whole import with every error
 * found (document, line, message). Runs inside the caller's transaction so the plan and the write see one state.
 */
export async function planImport(tx: DbTx, text: string): Promise<ImportPlan> {
  const { descriptors, errors, count } = parseDescriptors(text);
  if (!descriptors.length && !errors.length) {
    throw new ValidationError("The import holds no descriptors.", [{ document: 1, line: 1, message: "no YAML documents found" }]);
  }
  const resolved = await resolve(tx, descriptors, errors);
  if (errors.length) {
    errors.sort((a, b) => a.document - b.document || a.line - b.line);
    const documents = new Set(errors.map((e) => e.document)).size;
    throw new ValidationError(`${documents} of ${count} documents ${documents === 1 ? "is" : "are"} invalid; nothing was imported.`, errors);
  }
  const current = resolved.services.length
    ? await tx.service.findMany({
        where: { OR: resolved.services.map((s) => ({ kind: serviceKindOf[s.descriptor.kind], name: s.descriptor.metadata.name })) },
        select: { team: { select: { name: true } } },
      })
    : [];
  const teams = new Set<string | null>([
    ...resolved.services.map((s) => resolved.owners.get(s) ?? null),
    ...current.map((c) => c.team?.name ?? null),
  ]);
  return {
    resolved,
    teams: [...teams],
    organisation: resolved.groups.length + resolved.users.length + resolved.systems.length > 0,
    documents: count,
  };
}

/** Upserts everything the plan holds by entity reference; the caller's transaction makes it all or nothing. */
export async function applyImport(tx: DbTx, plan: ImportPlan): Promise<ImportResult> {
  return write(tx, plan.resolved);
}
