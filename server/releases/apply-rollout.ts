import "server-only";
import { config } from "../shared/config";
import { withAudit } from "../audit";
import { systemContext } from "../identity";
import type { Db } from "../shared/db";
import { crashPoint } from "../shared/crash-point";
import { hasStatus } from "../shared/errors";
import { logger } from "../shared/logger";
import { actingForRollout } from "./acting-person";
import { fixTargets, targetPath } from "./fix-targets";
import { activeFreeze } from "./freezes";
import type { RolloutBackend } from "./rollout-backend";
import { lockRollout } from "./rollout-repository";
import { moveRollout } from "./rollout-state-machine";

/**
 * A claim older than this belongs to a process that died or stalled mid-apply: the next one takes over
 * (SLIPWAY_APPLY_LEASE_MS, validated with the rest of the configuration).
 */
export const applyLeaseMs = (): number => config().applyLeaseMs;

/**
 * How long an apply keeps retrying a cluster that does not answer (from its approval) before it fails. Within it,
 * attempts back off from 2 s to a minute.
 */
export const applyRetryWindowMs = 10 * 60_000;

const controller = () => systemContext("rollout-controller");

/** Errors worth another attempt: the cluster did not answer, or answered that it could not right now. */
function retryable(error: unknown): boolean {
  return hasStatus(error, 503) || hasStatus(error, 504) || hasStatus(error, 502) || hasStatus(error, 429);
}

/**
 * Sends an approved rollout to its clusters exactly once. The approved -> applying move is the claim: of any number
 * of callers and replicas one wins. It patches only the workloads fixed when the rollout was requested (for an
 * automatic rollout, fixed at its first apply, by the same ownership rules). The image patch is idempotent, so a
 * process that dies after patching but before recording it is safely repeated by whoever reclaims the stale lease.
 */
export async function applyRollout(db: Db, backend: RolloutBackend, rolloutId: string): Promise<"applied" | "skipped" | "failed" | "retrying"> {
  const claimed = await withAudit(db, controller(), async (tx, audit) => {
    await lockRollout(tx, rolloutId);
    const rollout = await tx.rollout.findUnique({
      where: { id: rolloutId },
      include: { service: { select: { name: true } }, release: { select: { version: true } } },
    });
    const stale = rollout?.state === "applying" && (!rollout.claimedAt || Date.now() - rollout.claimedAt.getTime() > applyLeaseMs());
    if (!rollout || (rollout.state !== "approved" && !stale)) {
      audit.nothingChanged();
      return false;
    }
    // A freeze holds new releases back, automatic ones too; a rollback still goes (it stops trouble).
    if (rollout.kind !== "rollback" && (await activeFreeze(tx, rollout.serviceId, rollout.environment))) {
      audit.nothingChanged();
      return false;
    }
    const what = { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version };
    if (!stale) {
      // A newer rollout takes the environment over from one still in flight there.
      const older = await tx.rollout.findMany({
        where: { serviceId: rollout.serviceId, environment: rollout.environment, state: { in: ["applying", "progressing"] }, id: { not: rollout.id } },
        select: { id: true },
      });
      for (const o of older) {
        await moveRollout(tx, audit, {
          id: o.id,
          from: ["applying", "progressing"],
          to: "superseded",
          data: { finishedAt: new Date() },
          details: { ...what, by: rollout.id },
        });
      }
    }
    return moveRollout(tx, audit, {
      id: rolloutId,
      from: [rollout.state as "approved" | "applying"],
      to: "applying",
      data: { claimedAt: new Date() },
      action: stale ? "rollout.apply_resumed" : "rollout.apply_started",
      details: what,
    });
  });
  if (!claimed) return "skipped";
  crashPoint("after-claim");

  const rollout = await db.rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    include: { service: { select: { name: true, annotations: true, team: { select: { name: true } } } }, release: true, targets: true },
  });
  const what = { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version };
  try {
    let targets = rollout.targets.map((t) => ({
      cluster: t.cluster,
      kind: t.workloadKind as "Deployment" | "Rollout",
      namespace: t.namespace,
      name: t.workloadName,
      container: t.container,
    }));
    if (!targets.length) {
      const service = {
        name: rollout.service.name,
        team: rollout.service.team?.name ?? null,
        annotations: (rollout.service.annotations ?? {}) as Record<string, string>,
      };
      targets = await fixTargets(backend, service, rollout.environment);
      await db.rolloutTarget.createMany({
        data: targets.map((t) => ({
          rolloutId,
          cluster: t.cluster,
          namespace: t.namespace,
          workloadKind: t.kind,
          workloadName: t.name,
          container: t.container,
        })),
        skipDuplicates: true,
      });
    }
    const as = await actingForRollout(db, rolloutId);
    let claim = rollout.claimedAt;
    for (const target of targets) {
      const where = { rolloutId, cluster: target.cluster, namespace: target.namespace, workloadKind: target.kind, workloadName: target.name };
      const before = await backend.observe(target);
      await db.rolloutTarget.updateMany({ where: { ...where, revisionBefore: null }, data: { revisionBefore: before?.workload.revision ?? null } });
      // Still ours, right before the patch? A rollout superseded or rolled back meanwhile, or taken over after the
      // lease ran out (this process stalled), must not be patched any further. Renewing extends the lease per target.
      const renewed = new Date();
      const still = await db.rollout.updateMany({ where: { id: rolloutId, state: "applying", claimedAt: claim }, data: { claimedAt: renewed } });
      if (still.count !== 1) {
        logger().warn({ rolloutId }, "stopped applying: the rollout is no longer this process's to apply");
        return "skipped";
      }
      claim = renewed;
      const image = rollout.release.digest ? `${rollout.release.image}@${rollout.release.digest}` : rollout.release.image;
      // A process that died right after its patch left the image in place: taking over, there is nothing to send again.
      if (before?.workload.images.find((i) => i.container === target.container)?.image !== image) {
        await backend.setImage(target, target.container, image, as);
      }
      crashPoint("after-patch");
      await db.rolloutTarget.updateMany({ where, data: { status: "progressing", message: null, appliedAt: new Date() } });
    }
    await withAudit(db, controller(), async (tx, audit) => {
      const moved = await moveRollout(tx, audit, {
        id: rolloutId,
        from: ["applying"],
        to: "progressing",
        data: { startedAt: new Date(), claimedAt: null },
        details: { ...what, image: rollout.release.image, actingAs: as?.user ?? "slipway", targets: targets.map((t) => targetPath(t)) },
      });
      if (!moved) audit.nothingChanged();
    });
    return "applied";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const since = (rollout.approvedAt ?? rollout.createdAt).getTime();
    if (retryable(error) && Date.now() - since < applyRetryWindowMs) {
      // The cluster does not answer: keep the claim's row, let the lease lapse after a backoff, and say which cluster
      // holds the rollout up on its targets.
      const backoffMs = Math.min(60_000, Math.max(2_000, (Date.now() - since) / 4));
      logger().warn({ rolloutId, err: error, backoffMs }, "applying a rollout waits for a cluster");
      await db.rolloutTarget.updateMany({ where: { rolloutId, status: "pending" }, data: { message: `Waiting: ${reason}` } });
      await db.rollout.updateMany({ where: { id: rolloutId, state: "applying" }, data: { claimedAt: new Date(Date.now() - applyLeaseMs() + backoffMs) } });
      return "retrying";
    }
    logger().warn({ rolloutId, err: error }, "applying a rollout failed");
    await db.rolloutTarget.updateMany({ where: { rolloutId, status: "pending" }, data: { status: "failed", message: reason, finishedAt: new Date() } });
    await withAudit(db, controller(), async (tx, audit) => {
      const moved = await moveRollout(tx, audit, {
        id: rolloutId,
        from: ["applying"],
        to: "failed",
        data: { failureReason: `Could not apply: ${reason}`, finishedAt: new Date(), claimedAt: null },
        details: { ...what, reason },
      });
      if (!moved) audit.nothingChanged();
    });
    return "failed";
  }
}
