import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { decide, refuseMutation, type Permission, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { ConflictError, ForbiddenError, NotFoundError } from "../shared/errors";
import { approvalsRequired, environmentPolicy } from "./environments";
import { assertNotFrozen } from "./freezes";
import { loadRolloutView, lockRollout } from "./rollout-repository";
import { notifyRollout } from "./notify-event";
import { moveRollout } from "./rollout-state-machine";
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
  // A refusal is decided inside the transaction (on the locked rollout) and recorded after it rolled back.
  let refused: { permission: Permission; reason: string } | undefined;
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
    const permission: Permission = {
      action: "checkpoint.approve",
      team: rollout.service.team?.name ?? null,
      tier: rollout.service.tier,
      requestedBy: rollout.requestedById,
      approvedBy: checkpoint.approvals.map((a) => a.personId),
    };
    const verdict = decide(principal, permission);
    if (!verdict.allowed) {
      refused = { permission, reason: verdict.reason };
      audit.nothingChanged();
      return;
    }
    if (decision === "approve") await assertNotFrozen(tx, rollout.service.id, rollout.environment, "Approving");
    // Never fewer approvals than the service's policy asked at any point since the request: a tier lowered meanwhile
    // does not lower the bar, a tier raised raises it.
    const policyNow = approvalsRequired(environmentPolicy(rollout.environment), rollout.service.tier);
    const required = Math.max(checkpoint.approvalsRequired, policyNow);
    if (required > checkpoint.approvalsRequired) {
      await tx.checkpoint.update({ where: { id: checkpoint.id }, data: { approvalsRequired: required } });
      if (checkpoint.kind === "deploy") await tx.rollout.update({ where: { id: rollout.id }, data: { approvalsRequired: required } });
    }

    await tx.approval.create({ data: { checkpointId: checkpoint.id, personId: person.id, personName: person.name, decision, comment } });
    const approvals = checkpoint.approvals.filter((a) => a.decision === "approve").length + (decision === "approve" ? 1 : 0);
    const what = {
      service: rollout.service.name,
      environment: rollout.environment,
      version: rollout.release.version,
      checkpoint: checkpoint.kind,
      step: checkpoint.stepIndex,
      comment,
    };

    if (decision === "reject") {
      await tx.checkpoint.update({ where: { id: checkpoint.id }, data: { state: "rejected", decidedAt: new Date() } });
      await audit({
        action: "checkpoint.reject",
        targetType: "rollout",
        targetId: rollout.id,
        details: { ...what, before: { checkpoint: "awaiting_approval" }, after: { checkpoint: "rejected" } },
      });
      await notifyRollout(tx, "checkpoint.rejected", rollout.id, { actor: person.displayName ?? person.name, comment });
      if (checkpoint.kind === "deploy") {
        await moveRollout(tx, audit, { id: rollout.id, from: ["awaiting_approval"], to: "rejected", data: { finishedAt: new Date() }, details: { ...what } });
      }
      return;
    }
    const open = approvals >= required;
    if (open) await tx.checkpoint.update({ where: { id: checkpoint.id }, data: { state: "approved", decidedAt: new Date() } });
    await audit({
      action: "checkpoint.approve",
      targetType: "rollout",
      targetId: rollout.id,
      details: {
        ...what,
        approvals,
        approvalsRequired: required,
        before: { checkpoint: "awaiting_approval" },
        after: { checkpoint: open ? "approved" : "awaiting_approval" },
      },
    });
    if (open) await notifyRollout(tx, "checkpoint.approved", rollout.id, { actor: person.displayName ?? person.name, comment });
    if (open && checkpoint.kind === "deploy") {
      await moveRollout(tx, audit, { id: rollout.id, from: ["awaiting_approval"], to: "approved", data: { approvedAt: new Date() }, details: { ...what } });
    }
  });
  if (refused) await refuseMutation(db, principal, context, refused.permission, { allowed: false, reason: refused.reason });
  return (await loadRolloutView(db, rolloutId))!;
}
