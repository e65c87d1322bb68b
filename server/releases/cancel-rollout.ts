import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { decide, refuseMutation, type Permission, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { ConflictError, NotFoundError } from "../shared/errors";
import { loadRolloutView, lockRollout } from "./rollout-repository";
import { closeOpenCheckpoints, moveRollout } from "./rollout-state-machine";
import type { RolloutState, RolloutView } from "./types";

const cancellable: RolloutState[] = ["requested", "awaiting_approval", "approved"];

/** The requester (or an admin) withdraws a rollout that has not reached the cluster yet. */
export async function cancelRollout(db: Db, principal: Principal, context: RequestContext, rolloutId: string, reason?: string): Promise<RolloutView> {
  let refused: { permission: Permission; reason: string } | undefined;
  await withAudit(db, context, async (tx, audit) => {
    await lockRollout(tx, rolloutId);
    const rollout = await tx.rollout.findUnique({
      where: { id: rolloutId },
      include: { service: { select: { name: true, team: { select: { name: true } } } } },
    });
    if (!rollout) throw new NotFoundError("There is no such rollout.");
    const permission: Permission = {
      action: "rollout.cancel",
      team: rollout.service.team?.name ?? null,
      requestedBy: rollout.requestedById,
      requestedByName: rollout.requestedByName,
    };
    const verdict = decide(principal, permission);
    if (!verdict.allowed) {
      refused = { permission, reason: verdict.reason };
      audit.nothingChanged();
      return;
    }
    if (!cancellable.includes(rollout.state as RolloutState)) {
      throw new ConflictError(
        `This rollout is ${rollout.state.replace(/_/g, " ")}; only one that has not reached the cluster can be cancelled. Roll back instead.`,
      );
    }
    await moveRollout(tx, audit, {
      id: rolloutId,
      from: cancellable,
      to: "cancelled",
      data: { finishedAt: new Date() },
      details: { service: rollout.service.name, environment: rollout.environment, reason: reason ?? null },
    });
    await closeOpenCheckpoints(tx, audit, { id: rolloutId }, "the rollout was cancelled");
  });
  if (refused) await refuseMutation(db, principal, context, refused.permission, { allowed: false, reason: refused.reason });
  return (await loadRolloutView(db, rolloutId))!;
}
