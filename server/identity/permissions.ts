import "server-only";
import { ForbiddenError, UnauthorizedError } from "../shared/errors";
import type { PersonIdentity, Principal, Role, TokenScope } from "./types";

/** Everything Slipway lets someone do, with what the decision depends on. */
export type Permission =
  | { action: "catalogue.read" }
  | { action: "audit.read" }
  | { action: "catalogue.import"; teams: Array<string | null>; organisation: boolean }
  | { action: "service.edit"; team: string | null }
  | { action: "rollout.request"; team: string | null }
  | { action: "rollout.operate"; team: string | null }
  | { action: "checkpoint.approve"; team: string | null; tier: number | null; requestedBy: string | null; approvedBy: string[] }
  | { action: "token.create"; forTeam: string | null }
  | { action: "token.revoke"; ownerPersonId: string | null; ownerTeam: string | null }
  | { action: "freeze.manage" }
  | { action: "admin" };

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** Token scopes an action needs; null means no token may ever do it. */
const scopeFor: Record<Permission["action"], TokenScope | null> = {
  "catalogue.read": "read",
  "audit.read": "read",
  "catalogue.import": "catalogue:write",
  "service.edit": "catalogue:write",
  "rollout.request": "releases:write",
  "rollout.operate": "releases:write",
  // A production decision is a person's, made in the portal: never a script's.
  "checkpoint.approve": null,
  "token.create": null,
  "token.revoke": null,
  "freeze.manage": null,
  admin: null,
};

const has = (p: PersonIdentity, role: Role) => p.roles.includes(role);
const memberOf = (p: PersonIdentity, team: string | null) => team !== null && p.teams.includes(team);

function decideForPerson(person: PersonIdentity, permission: Permission): Decision {
  const admin = has(person, "admin");
  switch (permission.action) {
    case "catalogue.read":
    case "audit.read":
      return allow;
    case "catalogue.import": {
      if (admin) return allow;
      if (permission.organisation) return deny("Only admins may import groups, users, systems and domains.");
      if (!has(person, "engineer")) return deny("Importing services needs the engineer role.");
      const foreign = permission.teams.filter((t) => !memberOf(person, t));
      return foreign.length
        ? deny(`You may import only services owned by your squads (${person.teams.join(", ") || "none"}); not ${foreign.map((t) => t ?? "unowned").join(", ")}.`)
        : allow;
    }
    case "service.edit":
    case "rollout.request":
    case "rollout.operate":
      if (admin) return allow;
      if (!has(person, "engineer")) return deny("This needs the engineer role.");
      return memberOf(person, permission.team) ? allow : deny(`Only engineers of ${permission.team ?? "the owning squad"} may do this.`);
    case "checkpoint.approve": {
      if (permission.requestedBy === person.id) return deny("Four-eyes: you requested this rollout, so someone else must approve it.");
      if (permission.approvedBy.includes(person.id)) return deny("You have already approved this checkpoint; another person must give the next approval.");
      if (!has(person, "approver")) return deny("Approving production checkpoints needs the approver role.");
      if (person.approverTeams.length && !memberOfList(person.approverTeams, permission.team)) {
        return deny(`You approve for ${person.approverTeams.join(", ")} only.`);
      }
      if (person.approverTiers.length && (permission.tier === null || !person.approverTiers.includes(permission.tier))) {
        return deny(`You approve tier ${person.approverTiers.join(", ")} services only.`);
      }
      return allow;
    }
    case "token.create":
      if (permission.forTeam === null) return allow;
      return admin ? allow : deny("Only admins may create tokens for a squad.");
    case "token.revoke":
      if (admin) return allow;
      return permission.ownerPersonId === person.id ? allow : deny("You may revoke only your own tokens.");
    case "freeze.manage":
    case "admin":
      return admin ? allow : deny("This needs the admin role.");
  }
}

function memberOfList(list: string[], team: string | null): boolean {
  return team !== null && list.includes(team);
}

/** The single permission check every route handler, server action and page goes through. */
export function decide(principal: Principal | null, permission: Permission): Decision {
  if (!principal) return deny("Sign in or send an API token.");
  if (principal.kind === "session") return decideForPerson(principal.person, permission);

  const scope = scopeFor[permission.action];
  if (scope === null) return deny("API tokens cannot do this; a person must, in the portal.");
  if (!principal.scopes.includes(scope) && !(scope === "read" && principal.scopes.length > 0)) {
    return deny(`This token lacks the ${scope} scope.`);
  }
  if (principal.person) return decideForPerson(principal.person, permission);
  if (principal.team) {
    const team = principal.team.name;
    const asEngineer: PersonIdentity = {
      id: `team:${principal.team.id}`,
      name: team,
      displayName: null,
      email: null,
      roles: ["viewer", "engineer"],
      teams: [team],
      approverTeams: [],
      approverTiers: [],
    };
    return decideForPerson(asEngineer, permission);
  }
  return deny("This token has no owner.");
}

export function authorize(principal: Principal | null, permission: Permission): void {
  const decision = decide(principal, permission);
  if (decision.allowed) return;
  if (!principal) throw new UnauthorizedError();
  throw new ForbiddenError(decision.reason);
}
