import "server-only";
import type { RoleMap } from "../shared/config";
import type { Role } from "./types";

/** Roles and approver scopes from the identity provider's groups; everyone signed in is a viewer. */
export function rolesForGroups(groups: string[], map: RoleMap): { roles: Role[]; approverTeams: string[]; approverTiers: number[] } {
  const roles = new Set<Role>(["viewer"]);
  const teams = new Set<string>();
  const tiers = new Set<number>();
  let unrestrictedApprover = false;
  for (const group of groups) {
    const grant = map[group];
    if (!grant) continue;
    for (const role of grant.roles) roles.add(role);
    if (grant.roles.includes("approver")) {
      if (!grant.approverTeams?.length && !grant.approverTiers?.length) unrestrictedApprover = true;
      grant.approverTeams?.forEach((t) => teams.add(t));
      grant.approverTiers?.forEach((t) => tiers.add(t));
    }
  }
  return {
    roles: [...roles],
    approverTeams: unrestrictedApprover ? [] : [...teams],
    approverTiers: unrestrictedApprover ? [] : [...tiers],
  };
}
