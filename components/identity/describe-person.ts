import type { Role } from "@/server/identity/contract";

/** The serialisable facts about a person that the identity components show. */
export type PersonSummary = {
  name: string;
  displayName: string | null;
  email?: string | null;
  roles: string[];
  teams: string[];
  approverTeams?: string[];
};

/** The role a person is shown by: their highest. */
export type PrimaryRole = Role;

export function primaryRole(person: Pick<PersonSummary, "roles">): PrimaryRole {
  if (person.roles.includes("admin")) return "admin";
  if (person.roles.includes("approver")) return "approver";
  if (person.roles.includes("engineer")) return "engineer";
  return "viewer";
}

const list = (items: string[]) => items.join(", ");

/** One line per role a person holds, most powerful first: "Approver for cards, payments-core". */
export function roleLines(person: PersonSummary): Array<{ role: PrimaryRole; label: string }> {
  const lines: Array<{ role: PrimaryRole; label: string }> = [];
  if (person.roles.includes("admin")) lines.push({ role: "admin", label: "Admin" });
  if (person.roles.includes("approver")) {
    const teams = person.approverTeams ?? [];
    lines.push({ role: "approver", label: teams.length ? `Approver for ${list(teams)}` : "Approver for all squads" });
  }
  if (person.roles.includes("engineer")) {
    lines.push({ role: "engineer", label: person.teams.length ? `Engineer in ${list(person.teams)}` : "Engineer" });
  }
  if (!lines.length) lines.push({ role: "viewer", label: "Viewer (read-only)" });
  return lines;
}

export const roleTone = {
  admin: "violet",
  approver: "amber",
  engineer: "indigo",
  viewer: "neutral",
} as const;

export function signInMethodLabel(method: string): string {
  if (method === "demo") return "Demo sign-in";
  if (method === "oidc") return "Single sign-on";
  return method;
}
