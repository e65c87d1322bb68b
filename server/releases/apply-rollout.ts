import "server-only";
import { config } from "../shared/config";
import { withAudit } from "../audit";
import { systemContext } from "../identity/system-context";
import type { Db } from "../shared/db";
import { crashPoint } from "../shared/crash-point";
import { logger } from "../shared/logger";
import type { ActingAs, RolloutBackend } from "./rollout-backend";
import { lockRollout, transition } from "./rollout-repository";

/**
 * A claim older than this belongs to a process that died or stalled mid-apply: the next one takes over
 * (SLIPWAY_APPLY_LEASE_MS, validated with the rest of the configuration).
 */
export const applyLeaseMs = (): number => config().applyLeaseMs;

const controller = () => systemContext("rollout-controller");

/** Who the cluster sees: the person who gave the last approval, with the groups of their latest sign-in. */
async function actingAs(db: Db, rolloutId: string): Promise<ActingAs> {
  const approval = await db.approval.findFirst({
    where: { checkpoint: { rolloutId, kind: "deploy" }, decision: "approve" },
    orderBy: { createdAt: "desc" },
    select: { personId: true },
  });
  const personId = approval?.personId ?? (await db.rollout.findUnique({ where: { id: rolloutId }, select: { requestedById: true } }))?.requestedById;
  if (!personId) return undefined;
  const person = await db.person.findUnique({
    where: { id: personId },
    select: { name: true, email: true, sessions: { orderBy: { createdAt: "desc" }, take: 1, select: { groups: true } } },
  });
  return person ? { user: person.email ?? person.name, groups: person.sessions[0]?.groups ?? [] } : undefined;
}

/**
 * Sends an approved rollout to its clusters exactly once. The approved -> applying move is the claim: of any
 * number of callers and replicas one wins. The image patch is idempotent, so a process that dies after patching but
 * before recording it is safely repeated by whoever reclaims the stale lease.
 */
export async function applyRollout(db: Db, backend: RolloutBackend, rolloutId: string): Promise<"applied" | "skipped" | "failed"> {
  const claimed = await withAudit(db, controller(), async (tx, audit) => {
    await lockRollout(tx, rolloutId);
    const rollout = await tx.rollout.findUnique({ where: { id: rolloutId }, include: { service: { select: { name: true } }, release: { select: { version: true } } } });
    if (!rollout) return false;
    const stale = rollout.state === "applying" && (!rollout.claimedAt || Date.now() - rollout.claimedAt.getTime() > applyLeaseMs());
    if (rollout.state !== "approved" && !stale) {
      // Nothing to do; an audit event is still required by withAudit, so record nothing by aborting cleanly.
      throw new SkipSignal();
    }
    if (!stale) {
      // A newer rollout takes the environment over from one still in flight there.
      const older = await tx.rollout.findMany({ where: { serviceId: rollout.serviceId, environment: rollout.environment, state: { in: ["applying", "progressing"] }, id: { not: rollout.id } }, select: { id: true, state: true } });
      for (const o of older) {
        await tx.rollout.update({ where: { id: o.id }, data: { state: "superseded", finishedAt: new Date() } });
        await audit({ action: "rollout.superseded", targetType: "rollout", targetId: o.id, details: { by: rollout.id, service: rollout.service.name, environment: rollout.environment, before: { state: o.state }, after: { state: "superseded" } } });
      }
    }
    await tx.rollout.update({ where: { id: rolloutId }, data: { state: "applying", claimedAt: new Date() } });
    await audit({ action: stale ? "rollout.apply_resumed" : "rollout.apply_started", targetType: "rollout", targetId: rolloutId, details: { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version, before: { state: rollout.state }, after: { state: "applying" } } });
    return true;
  }).catch((error: unknown) => {
    if (error instanceof SkipSignal) return false;
    throw error;
  });
  if (!claimed) return "skipped";
  crashPoint("after-claim");

  const rollout = await db.rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    include: { service: { select: { name: true, annotations: true } }, release: true },
  });
  try {
    const annotations = (rollout.service.annotations ?? {}) as Record<string, string>;
    const { targets, errors } = await backend.resolveTargets({ name: rollout.service.name, annotations }, rollout.environment);
    if (errors.length) throw new Error(errors.map((e) => `${e.cluster}: ${e.message}`).join("; "));
    if (!targets.length) throw new Error(`No workload for ${rollout.service.name} was found in ${rollout.environment}.`);
    const as = await actingAs(db, rolloutId);
    let claim = rollout.claimedAt;
    for (const target of targets) {
      // Still ours? A rollout superseded or rolled back meanwhile, or taken over after the lease ran out (this
      // process stalled), must not be patched any further. Renewing the claim extends the lease per target.
      const renewed = new Date();
      const still = await db.rollout.updateMany({ where: { id: rolloutId, state: "applying", claimedAt: claim }, data: { claimedAt: renewed } });
      if (still.count !== 1) {
        logger().warn({ rolloutId }, "stopped applying: the rollout is no longer this process's to apply");
        return "skipped";
      }
      claim = renewed;
      const before = await backend.observe(target);
      await db.rolloutTarget.upsert({
        where: { rolloutId_cluster_namespace_workloadKind_workloadName: { rolloutId, cluster: target.cluster, namespace: target.namespace, workloadKind: target.kind, workloadName: target.name } },
        create: { rolloutId, cluster: target.cluster, namespace: target.namespace, workloadKind: target.kind, workloadName: target.name, container: target.container, revisionBefore: before?.workload.revision ?? null },
        update: {},
      });
      await backend.setImage(target, target.container, rollout.release.digest ? `${rollout.release.image}@${rollout.release.digest}` : rollout.release.image, as);
      crashPoint("after-patch");
      await db.rolloutTarget.updateMany({ where: { rolloutId, cluster: target.cluster, workloadName: target.name, namespace: target.namespace }, data: { status: "progressing", appliedAt: new Date() } });
    }
    await withAudit(db, controller(), async (tx, audit) => {
      if (await transition(tx, rolloutId, ["applying"], "progressing", { startedAt: new Date(), claimedAt: null })) {
        await audit({ action: "rollout.applied", targetType: "rollout", targetId: rolloutId, details: { service: rollout.service.name, environment: rollout.environment, version: rollout.release.version, image: rollout.release.image, actingAs: as?.user ?? "slipway", targets: targets.map((t) => `${t.cluster}/${t.namespace}/${t.kind}/${t.name}`), before: { state: "applying" }, after: { state: "progressing" } } });
      } else {
        throw new SkipSignal();
      }
    }).catch((error: unknown) => {
      if (!(error instanceof SkipSignal)) throw error;
    });
    return "applied";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger().warn({ rolloutId, err: error }, "applying a rollout failed");
    await withAudit(db, controller(), async (tx, audit) => {
      if (await transition(tx, rolloutId, ["applying"], "failed", { failureReason: `Could not apply: ${reason}`, finishedAt: new Date(), claimedAt: null })) {
        await audit({ action: "rollout.failed", targetType: "rollout", targetId: rolloutId, details: { service: rollout.service.name, environment: rollout.environment, reason, before: { state: "applying" }, after: { state: "failed" } } });
      } else throw new SkipSignal();
    }).catch((e: unknown) => {
      if (!(e instanceof SkipSignal)) throw e;
    });
    return "failed";
  }
}

/** Thrown inside a transaction to roll it back when there turned out to be nothing to do. */
export class SkipSignal extends Error {}
