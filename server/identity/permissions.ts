import "server-only";
import { ForbiddenError, UnauthorizedError } from "../shared/errors";
import type { PersonIdentity, Principal, Role, TokenScope } from "./types";

/** Everything Slipway lets someone do, with what the decision depends on. Every permission rule lives in this file. */
export type Permission =
  | { action: "catalogue.read" }
  | { action: "audit.read" }
  | { action: "catalogue.import"; teams: Array<string | null>; organisation: boolean }
  | { action: "service.edit"; team: string | null }
  /**
   * Changing what decides policy of an existing service: its tier, owner or workload mapping (who must approve, what
   * gets patched). `changes` names each, e.g. "tier 1 -> 3".
   */
  | { action: "service.change-policy"; service: string; changes: string[] }
  | { action: "release.register"; team: string | null }
  /** `checkpoint`: the environment needs approval (production), so an accountable person must ask. */
  | { action: "rollout.request"; team: string | null; checkpoint?: boolean }
  | { action: "rollout.cancel"; team: string | null; requestedBy: string | null; requestedByName: string }
  /** `checkpoint`: in an environment that needs approval, an operation is a person's act, never a squad token's. */
  | { action: "rollout.operate"; team: string | null; checkpoint?: boolean }
  | { action: "rollout.rollback"; team: string | null; checkpoint?: boolean }
  /** Approving a checkpoint, or skipping one (a canary's full promotion): the same four-eyes rule. */
  | { action: "checkpoint.approve"; team: string | null; tier: number | null; requestedBy: string | null; approvedBy: string[] }
  | { action: "token.create"; forTeam: string | null }
  | { action: "token.revoke"; ownerPersonId: string | null; ownerTeam: string | null }
  /** A lock on one service (its squad's call) or a freeze of everything (an admin's). */
  | { action: "freeze.create"; team: string | null; global: boolean }
  | { action: "freeze.lift"; team: string | null; global: boolean; createdBy: string; createdByName: string }
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
  // Policy is changed by an admin in the portal, never by a script.
  "service.change-policy": null,
  "release.register": "releases:write",
  "rollout.request": "releases:write",
  "rollout.cancel": "releases:write",
  "rollout.operate": "releases:write",
  "rollout.rollback": "releases:write",
  // A production decision is a person's, made in the portal: never a script's.
  "checkpoint.approve": null,
  "token.create": null,
  "token.revoke": null,
  "freeze.create": null,
  "freeze.lift": null,
  "freeze.manage": null,
  admin: null,
};

const has = (p: PersonIdentity, role: Role) => p.roles.includes(role);
const memberOf = (p: PersonIdentity, team: string | null) => team !== null && p.teams.includes(team);

/**
 * Who is asking: a person (signed in, or through their own token), or a squad's token acting as an engineer of the
 * squad. A squad token is nobody in particular, so it may not do what needs an accountable person.
 */
type Actor = { person: PersonIdentity; accountable: boolean };

function decideFor({ person, accountable }: Actor, permission: Permission): Decision {
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
        ? deny(
            `You may import only services owned by your squads (${person.teams.join(", ") || "none"}); not ${foreign.map((t) => t ?? "unowned").join(", ")}.`,
          )
        : allow;
    }
    case "service.change-policy":
      return admin
        ? allow
        : deny(
            `Changing ${permission.changes.join(", ")} of ${permission.service} needs an admin: it decides who must approve its rollouts or what they patch.`,
          );
    case "rollout.request":
      if (permission.checkpoint && !accountable) {
        return deny(
          "A production rollout is requested by a person (signed in, or with a personal token), so someone answers for it; squad tokens register releases and drive automatic environments only.",
        );
      }
      return engineerOf(person, permission.team);
    case "rollout.operate":
    case "rollout.rollback":
      if (permission.checkpoint && !accountable) {
        return deny(
          "In a production environment a person (signed in, or with a personal token) operates and rolls back; squad tokens drive automatic environments only.",
        );
      }
      return engineerOf(person, permission.team);
    case "release.register":
    case "service.edit":
      return engineerOf(person, permission.team);
    case "rollout.cancel": {
      if (admin) return allow;
      const squad = engineerOf(person, permission.team);
      if (!squad.allowed) return squad;
      // Tokens without a person, and automatic rollouts (no requesting person), are cancelled by an admin only.
      return accountable && permission.requestedBy === person.id
        ? allow
        : deny(`Only ${permission.requestedByName}, who requested it, or an admin can cancel this rollout.`);
    }
    case "checkpoint.approve": {
      if (!accountable) return deny("Checkpoints are decided by a person.");
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
    case "freeze.create":
      if (admin) return allow;
      if (permission.global) return deny("Freezing every deploy needs the admin role; your squad may lock its own services.");
      return engineerOf(person, permission.team);
    case "freeze.lift": {
      if (admin) return allow;
      if (permission.createdBy !== person.id) return deny(`Only ${permission.createdByName}, who set this freeze, or an admin can lift it.`);
      return permission.global ? allow : engineerOf(person, permission.team);
    }
    case "freeze.manage":
    case "admin":
      return admin ? allow : deny("This needs the admin role.");
  }
}

function engineerOf(person: PersonIdentity, team: string | null): Decision {
  if (has(person, "admin")) return allow;
  if (!has(person, "engineer")) return deny("This needs the engineer role.");
  return memberOf(person, team) ? allow : deny(`Only engineers of ${team ?? "the owning squad"} may do this.`);
}

function memberOfList(list: string[], team: string | null): boolean {
  return team !== null && list.includes(team);
}

/** The single permission check every route handler, server action and page goes through. */
export function decide(principal: Principal | null, permission: Permission): Decision {
  if (!principal) return deny("Sign in or send an API token.");
  if (principal.kind === "session") return decideFor({ person: principal.person, accountable: true }, permission);

  const scope = scopeFor[permission.action];
  if (scope === null) return deny("API tokens cannot do this; a person must, in the portal.");
  if (!principal.scopes.includes(scope) && !(scope === "read" && principal.scopes.length > 0)) {
    return deny(`This token lacks the ${scope} scope.`);
  }
  // A personal token acts for its creator, who answers for what it does.
  if (principal.person) return decideFor({ person: principal.person, accountable: true }, permission);
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
    return decideFor({ person: asEngineer, accountable: false }, permission);
  }
  return deny("This token has no owner.");
}

export function authorize(principal: Principal | null, permission: Permission): void {
  const decision = decide(principal, permission);
  if (decision.allowed) return;
  if (!principal) throw new UnauthorizedError();
  throw new ForbiddenError(decision.reason);
}
