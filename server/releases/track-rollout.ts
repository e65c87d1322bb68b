import "server-only";
import { withAudit } from "../audit";
import { systemContext } from "../identity";
import type { Db } from "../shared/db";
import { logger } from "../shared/logger";
import { actingForRollout, actingPerson } from "./acting-person";
import { applyLeaseMs } from "./apply-rollout";
import { environmentPolicy } from "./environments";
import type { RolloutBackend, TargetObservation } from "./rollout-backend";
import { rollbackInTransaction } from "./rollback-rollout";
import { closeOpenCheckpoints, moveRollout } from "./rollout-state-machine";
import { notifyRollout } from "./notify-event";

const controller = () => systemContext("rollout-controller");

const stuckReasons = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "InvalidImageName",
]);

type Verdict =
  | { outcome: "progressing"; message: string; pausedAtStep?: number | undefined }
  | { outcome: "succeeded"; message: string }
  | { outcome: "failed"; message: string; events: Array<{ type: string; reason: string; message: string; object?: string }> };

function imageMatches(observed: string, wanted: string): boolean {
  return observed === wanted || observed.startsWith(`${wanted}@`) || wanted.startsWith(`${observed}@`);
}

/** kubectl's rollout-status rules, plus what a person would call failure: new pods that cannot start. */
export function judge(observation: TargetObservation, container: string, image: string): Verdict {
  const { workload, pods, events } = observation;
  const warnings = events
    .filter((e) => e.type === "Warning")
    .slice(0, 10)
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message, object: `${e.involvedKind}/${e.involvedName}` }));
  const newPods = pods.filter((p) => p.images.some((i) => i.container === container && imageMatches(i.image, image)));
  const stuck = newPods.filter((p) => (p.waitingReason && stuckReasons.has(p.waitingReason)) || (!p.ready && p.restarts >= 3));
  if (stuck.length) {
    const pod = stuck[0]!;
    const why = pod.waitingReason ?? "restarting";
    const last = pod.lastTermination ? `, last exit: ${pod.lastTermination.reason ?? "?"} (code ${pod.lastTermination.exitCode ?? "?"})` : "";
    return {
      outcome: "failed",
      message: `New pods cannot start: ${pod.name} is ${why} after ${pod.restarts} restart${pod.restarts === 1 ? "" : "s"}${last}.`,
      events: warnings,
    };
  }
  if (workload.status.state === "failed" || workload.canary?.aborted) return { outcome: "failed", message: workload.status.message, events: warnings };
  const running = workload.images.find((i) => i.container === container);
  if (!running || !imageMatches(running.image, image)) {
    return { outcome: "progressing", message: `Waiting for ${workload.kind} ${workload.name} to take image ${image}` };
  }
  if (workload.status.state === "complete") return { outcome: "succeeded", message: workload.status.message };
  // Only a pause without a duration waits for a person; a timed pause (pause: {duration: 30s}) ends by itself.
  const canary = workload.kind === "Rollout" ? workload.canary : null;
  const step = canary?.currentStepIndex != null ? canary.steps[canary.currentStepIndex] : undefined;
  const pausedAtStep =
    canary && canary.pauseReasons.includes("CanaryPauseStep") && !(step?.kind === "pause" && step.duration)
      ? (canary.currentStepIndex ?? undefined)
      : undefined;
  return { outcome: "progressing", message: workload.status.message, pausedAtStep };
}

/**
 * Looks at a progressing rollout's workloads and moves it on: to succeeded, to failed (with the reason and the
 * events that explain it, and an automatic rollback where the environment asks for one), or, for an Argo canary
 * paused at a step, to a promote checkpoint that a person approves.
 */
export async function trackRollout(db: Db, backend: RolloutBackend, rolloutId: string): Promise<void> {
  const rollout = await db.rollout.findUnique({
    where: { id: rolloutId },
    include: { release: true, service: { select: { name: true } }, targets: true, checkpoints: { where: { kind: "promote" } } },
  });
  if (!rollout || rollout.state !== "progressing") return;
  const image = rollout.release.digest ? `${rollout.release.image}@${rollout.release.digest}` : rollout.release.image;

  const verdicts: Verdict[] = [];
  for (const target of rollout.targets) {
    const ref = { cluster: target.cluster, kind: target.workloadKind as "Deployment" | "Rollout", namespace: target.namespace, name: target.workloadName };
    let observation: TargetObservation | null;
    try {
      observation = await backend.observe(ref);
    } catch (error) {
      // A cluster that cannot be reached right now is not a failed rollout: look again on the next pass.
      logger().debug({ err: error, rolloutId }, "could not observe a rollout target");
      verdicts.push({ outcome: "progressing", message: `Cannot reach ${target.cluster}` });
      continue;
    }
    const verdict: Verdict = observation
      ? judge(observation, target.container, image)
      : { outcome: "failed", message: `${target.workloadKind} ${target.namespace}/${target.workloadName} no longer exists in ${target.cluster}.`, events: [] };
    verdicts.push(verdict);
    await db.rolloutTarget.update({
      where: { id: target.id },
      data: {
        status: verdict.outcome,
        message: verdict.message,
        revisionAfter: observation?.workload.revision ?? null,
        ...(verdict.outcome !== "progressing" ? { finishedAt: new Date() } : {}),
      },
    });

    if (verdict.outcome === "progressing" && verdict.pausedAtStep !== undefined) {
      await promoteStep(db, backend, rollout.id, rollout.service.name, ref, verdict.pausedAtStep, rollout.approvalsRequired || 1);
    }
  }

  const failed = verdicts.find((v): v is Extract<Verdict, { outcome: "failed" }> => v.outcome === "failed");
  const allSucceeded = verdicts.length > 0 && verdicts.every((v) => v.outcome === "succeeded");
  if (!failed && !allSucceeded) return;

  const policy = environmentPolicy(rollout.environment);
  await withAudit(db, controller(), async (tx, audit) => {
    const what = { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version };
    if (failed) {
      const moved = await moveRollout(tx, audit, {
        id: rollout.id,
        from: ["progressing"],
        to: "failed",
        data: { failureReason: failed.message, failureEvents: failed.events, finishedAt: new Date() },
        details: { ...what, reason: failed.message, events: failed.events },
      });
      if (!moved) return audit.nothingChanged();
      await closeOpenCheckpoints(tx, audit, { id: rollout.id }, "the rollout failed");
      if (policy.autoRollback && rollout.kind !== "rollback" && rollout.previousReleaseId) {
        await rollbackInTransaction(tx, null, controller(), rollout.id, { reason: `Automatic rollback: ${failed.message}` }, audit);
      }
    } else {
      const moved = await moveRollout(tx, audit, { id: rollout.id, from: ["progressing"], to: "succeeded", data: { finishedAt: new Date() }, details: what });
      if (!moved) return audit.nothingChanged();
      await closeOpenCheckpoints(tx, audit, { id: rollout.id }, "the rollout succeeded");
    }
  });
}

/** Each canary pause step is a checkpoint of its own; its approval sends exactly one promote. */
async function promoteStep(
  db: Db,
  backend: RolloutBackend,
  rolloutId: string,
  service: string,
  ref: { cluster: string; kind: "Deployment" | "Rollout"; namespace: string; name: string },
  step: number,
  required: number,
): Promise<void> {
  const existing = await db.checkpoint.findUnique({ where: { rolloutId_kind_stepIndex: { rolloutId, kind: "promote", stepIndex: step } } });
  if (!existing) {
    await withAudit(db, controller(), async (tx, audit) => {
      const created = await tx.checkpoint.createMany({
        data: [{ rolloutId, kind: "promote", stepIndex: step, state: "awaiting_approval", approvalsRequired: required }],
        skipDuplicates: true,
      });
      if (created.count === 0) return audit.nothingChanged();
      await audit({ action: "checkpoint.open", targetType: "rollout", targetId: rolloutId, details: { service, checkpoint: "promote", step } });
      await notifyRollout(tx, "checkpoint.awaiting_approval", rolloutId);
    });
    return;
  }
  if (existing.state !== "approved") return;
  // Still paused at this step long after the promote was sent: the sender died first; send it again.
  const resend = existing.appliedAt !== null && Date.now() - existing.appliedAt.getTime() > applyLeaseMs();
  if (existing.appliedAt && !resend) return;
  const claimed = await db.checkpoint.updateMany({
    where: { id: existing.id, state: "approved", appliedAt: existing.appliedAt },
    data: { appliedAt: new Date() },
  });
  if (claimed.count !== 1) return;
  // The promotion acts as the person who approved the step, through the same impersonation path as every action.
  await backend.promote(ref, { full: false }, await actingForStep(db, existing.id, rolloutId));
  await withAudit(db, controller(), async (_tx, audit) => {
    await audit({
      action: "rollout.promoted",
      targetType: "rollout",
      targetId: rolloutId,
      details: { service, step, workload: `${ref.cluster}/${ref.namespace}/${ref.name}` },
    });
  });
}

async function actingForStep(db: Db, checkpointId: string, rolloutId: string) {
  const approval = await db.approval.findFirst({ where: { checkpointId, decision: "approve" }, orderBy: { createdAt: "desc" }, select: { personId: true } });
  return approval ? actingPerson(db, approval.personId) : actingForRollout(db, rolloutId);
}
