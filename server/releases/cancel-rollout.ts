import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorize, type Principal } from "../identity/permissions-api";
import type { Db } from "../shared/db";
import { ConflictError, ForbiddenError, NotFoundError } from "../shared/errors";
import { closeOpenCheckpoints, loadRolloutView, lockRollout } from "./rollout-repository";
import type { RolloutView } from "./types";

/** The requester withdraws a rollout that has not reached the cluster yet. */
export async function cancelRollout(db: Db, principal: Principal, context: RequestContext, rolloutId: string, reason?: string): Promise<RolloutView> {
  await withAudit(db, context, async (tx, audit) => {
    await lockRollout(tx, rolloutId);
    const rollout = await tx.rollout.findUnique({ where: { id: rolloutId }, include: { service: { select: { name: true, team: { select: { name: true } } } } } });
    if (!rollout) throw new NotFoundError("There is no such rollout.");
    authorize(principal, { action: "rollout.request", team: rollout.service.team?.name ?? null });
    const me = principal.person?.id ?? null;
    const admin = principal.kind === "session" && principal.person.roles.includes("admin");
    // Tokens without a person, and automatic rollouts (no requesting person), are cancelled by an admin only.
    if (!admin && (me === null || rollout.requestedById !== me)) throw new ForbiddenError(`Only ${rollout.requestedByName}, who requested it, or an admin can cancel this rollout.`);
    if (!["requested", "awaiting_approval", "approved"].includes(rollout.state)) {
      throw new ConflictError(`This rollout is ${rollout.state.replace(/_/g, " ")}; only one that has not reached the cluster can be cancelled. Roll back instead.`);
    }
    await tx.rollout.update({ where: { id: rolloutId }, data: { state: "cancelled", finishedAt: new Date() } });
    await closeOpenCheckpoints(tx, { id: rolloutId });
    await audit({ action: "rollout.cancel", targetType: "rollout", targetId: rolloutId, details: { service: rollout.service.name, environment: rollout.environment, before: { state: rollout.state }, after: { state: "cancelled" }, reason: reason ?? null } });
  });
  return (await loadRolloutView(db, rolloutId))!;
}
