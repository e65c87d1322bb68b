import "server-only";
import { roles, type PersonIdentity, type Role } from "./types";

const personSelect = {
  id: true,
  name: true,
  displayName: true,
  email: true,
  roles: true,
  approverTeams: true,
  approverTiers: true,
  memberships: { select: { team: { select: { name: true } } } },
} as const;

type PersonRow = {
  id: string;
  name: string;
  displayName: string | null;
  email: string | null;
  roles: string[];
  approverTeams: string[];
  approverTiers: number[];
  memberships: Array<{ team: { name: string } }>;
};

export function toIdentity(row: PersonRow): PersonIdentity {
  const known = new Set<string>(roles);
  const personRoles = row.roles.filter((r): r is Role => known.has(r));
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    email: row.email,
    roles: personRoles.includes("viewer") ? personRoles : ["viewer", ...personRoles],
    teams: row.memberships.map((m) => m.team.name).sort(),
    approverTeams: row.approverTeams,
    approverTiers: row.approverTiers,
  };
}

export { personSelect };
