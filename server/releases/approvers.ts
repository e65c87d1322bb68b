import "server-only";
import { decide, type PersonIdentity, type Role } from "../identity";
import type { DbTx } from "../shared/db";

export type EligibleApprover = { name: string; displayName: string | null };

const knownRoles: Role[] = ["viewer", "engineer", "approver", "admin"];

/**
 * Who may approve a rollout's open checkpoint now: people with the approver role whose squads and tiers cover the
 * service, minus the requester and anyone who already approved. Each person goes through `decide()`, so the rule
 * lives in one place. Empty when nothing waits for a decision.
 */
export async function eligibleApprovers(db: DbTx, rolloutId: string): Promise<EligibleApprover[]> {
  const rollout = await db.rollout.findUnique({
    where: { id: rolloutId },
    select: {
      requestedById: true,
      service: { select: { tier: true, team: { select: { name: true } } } },
      checkpoints: { where: { state: "awaiting_approval" }, select: { approvals: { select: { personId: true } } }, take: 1 },
    },
  });
  const checkpoint = rollout?.checkpoints[0];
  if (!rollout || !checkpoint) return [];
  const people = await db.person.findMany({
    where: { roles: { has: "approver" } },
    select: { id: true, name: true, displayName: true, email: true, roles: true, approverTeams: true, approverTiers: true },
    orderBy: { name: "asc" },
    take: 500,
  });
  const approvedBy = checkpoint.approvals.map((a) => a.personId);
  return people
    .filter((row) => {
      const person: PersonIdentity = {
        id: row.id,
        name: row.name,
        displayName: row.displayName,
        email: row.email,
        roles: row.roles.filter((r): r is Role => (knownRoles as string[]).includes(r)),
        teams: [],
        approverTeams: row.approverTeams,
        approverTiers: row.approverTiers,
      };
      return decide(
        { kind: "session", person, sessionId: "", csrfToken: "", method: "GET" },
        {
          action: "checkpoint.approve",
          team: rollout.service.team?.name ?? null,
          tier: rollout.service.tier,
          requestedBy: rollout.requestedById,
          approvedBy,
        },
      ).allowed;
    })
    .map((p) => ({ name: p.name, displayName: p.displayName }));
}
