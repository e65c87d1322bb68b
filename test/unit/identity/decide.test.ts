import { describe, expect, it } from "vitest";
import { decide, type Permission } from "../../../server/identity/permissions";
import type { PersonIdentity, Principal, Role } from "../../../server/identity/types";

/** Every permission rule, decided directly: who may do what, and what a refusal says. */
const person = (id: string, roles: Role[], teams: string[] = [], approver: { teams?: string[]; tiers?: number[] } = {}): PersonIdentity => ({
  id,
  name: id,
  displayName: null,
  email: `${id}@bank.example`,
  roles,
  teams,
  approverTeams: approver.teams ?? [],
  approverTiers: approver.tiers ?? [],
});
const session = (p: PersonIdentity): Principal => ({ kind: "session", person: p, sessionId: "s", csrfToken: "c", method: "oidc" });
const personalToken = (p: PersonIdentity, scopes: Array<"read" | "catalogue:write" | "releases:write">): Principal => ({
  kind: "token",
  tokenId: "t",
  tokenName: "ci",
  scopes,
  person: p,
});
const squadToken = (team: string, scopes: Array<"read" | "catalogue:write" | "releases:write">): Principal => ({
  kind: "token",
  tokenId: "t",
  tokenName: "ci",
  scopes,
  team: { id: "team-id", name: team },
});

const amara = person("amara", ["viewer", "engineer"], ["cards"]);
const hannah = person("hannah", ["viewer", "engineer"], ["notifications"]);
const tom = person("tom", ["viewer", "approver"], ["cards"], { teams: ["cards"] });
const tier1Only = person("tier1", ["viewer", "approver"], [], { tiers: [1] });
const viewer = person("isabel", ["viewer"]);
const admin = person("aisha", ["viewer", "admin"]);

type Row = [string, Principal | null, Permission, boolean | RegExp];
const approve = (requestedBy: string | null, approvedBy: string[] = [], tier: number | null = 2): Permission => ({
  action: "checkpoint.approve",
  team: "cards",
  tier,
  requestedBy,
  approvedBy,
});

const table: Row[] = [
  ["anonymous reads nothing", null, { action: "catalogue.read" }, /Sign in/],
  ["a viewer reads the catalogue", session(viewer), { action: "catalogue.read" }, true],
  ["a read token reads the audit trail", squadToken("cards", ["read"]), { action: "audit.read" }, true],
  ["an engineer imports her squad's services", session(amara), { action: "catalogue.import", teams: ["cards"], organisation: false }, true],
  [
    "an engineer cannot import another squad's",
    session(amara),
    { action: "catalogue.import", teams: ["payments"], organisation: false },
    /only services owned by your squads/,
  ],
  ["only an admin imports the organisation", session(amara), { action: "catalogue.import", teams: [], organisation: true }, /Only admins/],
  [
    "an engineer cannot lower her service's tier",
    session(amara),
    { action: "service.change-policy", service: "card-api", changes: ["tier 1 -> 3"] },
    /needs an admin/,
  ],
  ["an admin changes policy", session(admin), { action: "service.change-policy", service: "card-api", changes: ["tier 1 -> 3"] }, true],
  [
    "no token changes policy",
    squadToken("cards", ["catalogue:write"]),
    { action: "service.change-policy", service: "card-api", changes: ["owner"] },
    /API tokens cannot/,
  ],
  ["a squad token registers releases", squadToken("cards", ["releases:write"]), { action: "release.register", team: "cards" }, true],
  ["a squad token drives staging", squadToken("cards", ["releases:write"]), { action: "rollout.request", team: "cards", checkpoint: false }, true],
  [
    "a squad token never requests production",
    squadToken("cards", ["releases:write"]),
    { action: "rollout.request", team: "cards", checkpoint: true },
    /requested by a person/,
  ],
  [
    "a personal token requests production for its creator",
    personalToken(amara, ["releases:write"]),
    { action: "rollout.request", team: "cards", checkpoint: true },
    true,
  ],
  [
    "a token without the scope",
    personalToken(amara, ["read"]),
    { action: "rollout.request", team: "cards", checkpoint: true },
    /lacks the releases:write scope/,
  ],
  ["another squad's engineer cannot request", session(hannah), { action: "rollout.request", team: "cards", checkpoint: true }, /Only engineers of cards/],
  ["a squad token operates staging", squadToken("cards", ["releases:write"]), { action: "rollout.operate", team: "cards", checkpoint: false }, true],
  [
    "a squad token never operates production",
    squadToken("cards", ["releases:write"]),
    { action: "rollout.operate", team: "cards", checkpoint: true },
    /squad tokens drive automatic environments only/,
  ],
  [
    "a squad token never rolls production back",
    squadToken("cards", ["releases:write"]),
    { action: "rollout.rollback", team: "cards", checkpoint: true },
    /a person/,
  ],
  ["an engineer rolls her service back in production", session(amara), { action: "rollout.rollback", team: "cards", checkpoint: true }, true],
  ["a viewer cannot operate", session(viewer), { action: "rollout.operate", team: "cards" }, /engineer role/],
  ["the requester cancels", session(amara), { action: "rollout.cancel", team: "cards", requestedBy: "amara", requestedByName: "amara" }, true],
  [
    "another engineer of the squad cannot cancel",
    session(amara),
    { action: "rollout.cancel", team: "cards", requestedBy: "someone", requestedByName: "someone" },
    /Only someone, who requested it/,
  ],
  [
    "a squad token cannot cancel an automatic rollout",
    squadToken("cards", ["releases:write"]),
    { action: "rollout.cancel", team: "cards", requestedBy: null, requestedByName: "continuous delivery" },
    /Only continuous delivery/,
  ],
  ["an admin cancels anything", session(admin), { action: "rollout.cancel", team: "cards", requestedBy: null, requestedByName: "x" }, true],
  ["four-eyes: the requester never approves", session(tom), approve("tom"), /you requested this rollout/],
  ["an approver approves another's request", session(tom), approve("amara"), true],
  ["the same approver cannot count twice", session(tom), approve("amara", ["tom"]), /already approved/],
  ["an engineer cannot approve", session(amara), approve("someone"), /approver role/],
  ["an approver for cards only", session(tom), { ...approve("amara"), team: "payments" } as Permission, /approve for cards only/],
  ["an approver of tier 1 only", session(tier1Only), approve("amara", [], 2), /tier 1 services only/],
  ["no token approves", personalToken(tom, ["releases:write"]), approve("amara"), /API tokens cannot/],
  ["a squad may lock its own service", session(amara), { action: "freeze.create", team: "cards", global: false }, true],
  ["only an admin freezes everything", session(amara), { action: "freeze.create", team: null, global: true }, /admin role/],
  ["the author lifts her freeze", session(amara), { action: "freeze.lift", team: "cards", global: false, createdBy: "amara", createdByName: "amara" }, true],
  [
    "nobody else but an admin lifts it",
    session(amara),
    { action: "freeze.lift", team: "cards", global: false, createdBy: "aisha", createdByName: "aisha" },
    /Only aisha, who set this freeze/,
  ],
  ["an admin lifts any freeze", session(admin), { action: "freeze.lift", team: null, global: true, createdBy: "x", createdByName: "x" }, true],
  [
    "no token lifts a freeze",
    squadToken("cards", ["releases:write"]),
    { action: "freeze.lift", team: "cards", global: false, createdBy: "x", createdByName: "x" },
    /API tokens cannot/,
  ],
  ["anyone makes tokens for themselves", session(viewer), { action: "token.create", forTeam: null }, true],
  ["only admins make squad tokens", session(amara), { action: "token.create", forTeam: "cards" }, /Only admins/],
  ["one revokes only one's own tokens", session(amara), { action: "token.revoke", ownerPersonId: "tom", ownerTeam: null }, /only your own/],
];

describe("decide(): every permission rule", () => {
  it.each(table)("%s", (_name, principal, permission, expected) => {
    const decision = decide(principal, permission);
    if (expected === true) expect(decision).toEqual({ allowed: true });
    else expect(decision).toEqual({ allowed: false, reason: expect.stringMatching(expected as RegExp) });
  });

  it("covers every action it knows", () => {
    const covered = new Set(table.map(([, , p]) => p.action));
    for (const action of [
      "catalogue.read",
      "audit.read",
      "catalogue.import",
      "service.change-policy",
      "release.register",
      "rollout.request",
      "rollout.cancel",
      "rollout.operate",
      "checkpoint.approve",
      "token.create",
      "token.revoke",
      "freeze.create",
      "freeze.lift",
    ]) {
      expect(covered.has(action as Permission["action"]), action).toBe(true);
    }
  });
});
