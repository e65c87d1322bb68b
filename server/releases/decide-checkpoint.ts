import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorize, type Principal } from "../identity/permissions-api";
import type { Db } from "../shared/db";
import { ConflictError, ForbiddenError, NotFoundError } from "../shared/errors";
import { assertNotFrozen } from "./freezes";
import { loadRolloutView, lockRollout } from "./rollout-repository";
import type { RolloutView } from "./types";

/**
 * A person approves or rejects the open checkpoint of a rollout. Decisions on one rollout are serialised by a row
 * lock, so two approvers at the same instant, or a double click, count once each person and open the gate once.
 */
export async function decideCheckpoint(
  db: Db,
  principal: Principal,
  context: RequestContext,
  rolloutId: string,
  decision: "approve" | "reject",
  comment: string,
): Promise<RolloutView> {
  if (principal.kind !== "session") {
    throw new ForbiddenError("Checkpoints are decided by a person signed in to Slipway, never by a token.");
  }
  const person = principal.person;
  await withAudit(db, context, async (tx, audit) => {
    await lockRollout(tx, rolloutId);
    const rollout = await tx.rollout.findUnique({
      where: { id: rolloutId },
      include: {
        service: { select: { id: true, name: true, tier: true, team: { select: { name: true } } } },
        release: { select: { version: true } },
        checkpoints: { where: { state: "awaiting_approval" }, include: { approvals: true }, orderBy: { createdAt: "asc" } },
      },
    });
    if (!rollout) throw new NotFoundError("There is no such rollout.");
    const checkpoint = rollout.checkpoints[0];
    if (!checkpoint) throw new ConflictError(`This rollout has no checkpoint waiting for a decision (it is ${rollout.state.replace(/_/g, " ")}).`);
    authorize(principal, {
      action: "checkpoint.approve",
      team: rollout.service.team?.name ?? null,
      tier: rollout.service.tier,
      requestedBy: rollout.requestedById,
      approvedBy: checkpoint.approvals.map((a) => a.personId),
    });
    if (decision === "approve") await assertNotFrozen(tx, rollout.service.id, rollout.environment, "Approving");

    await tx.approval.create({ data: { checkpointId: checkpoint.id, personId: person.id, personName: person.name, decision, comment } });
    const approvals = checkpoint.approvals.filter((a) => a.decision === "approve").length + (decision === "approve" ? 1 : 0);
    const what = { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version, checkpoint: checkpoint.kind, step: checkpoint.stepIndex, comment };

    if (decision === "reject") {
      await tx.checkpoint.update({ where: { id: checkpoint.id }, data: { state: "rejected", decidedAt: new Date() } });
      if (checkpoint.kind === "deploy") {
        await tx.rollout.update({ where: { id: rollout.id }, data: { state: "rejected", finishedAt: new Date() } });
      }
      await audit({ action: "checkpoint.reject", targetType: "rollout", targetId: rollout.id, details: { ...what, before: { state: rollout.state }, after: { state: checkpoint.kind === "deploy" ? "rejected" : rollout.state } } });
      return;
    }
    const open = approvals >= checkpoint.approvalsRequired;
    if (open) {
      await tx.checkpoint.update({ where: { id: checkpoint.id }, data: { state: "approved", decidedAt: new Date() } });
      if (checkpoint.kind === "deploy") {
        await tx.rollout.update({ where: { id: rollout.id }, data: { state: "approved", approvedAt: new Date() } });
      }
    }
    await audit({
      action: "checkpoint.approve",
      targetType: "rollout",
      targetId: rollout.id,
      details: { ...what, approvals, approvalsRequired: checkpoint.approvalsRequired, before: { state: rollout.state }, after: { state: open && checkpoint.kind === "deploy" ? "approved" : rollout.state, checkpoint: open ? "approved" : "awaiting_approval" } },
    });
  });
  return (await loadRolloutView(db, rolloutId))!;
}
