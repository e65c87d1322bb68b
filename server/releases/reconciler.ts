import "server-only";
import { withAudit } from "../audit";
import { systemContext } from "../identity";
import type { ChangeFeed } from "../shared/change-feed";
import { notifyChange } from "../shared/change-feed";
import type { Db } from "../shared/db";
import { startLeasedJob } from "../shared/lease";
import { logger } from "../shared/logger";
import { applyLeaseMs, applyRollout } from "./apply-rollout";
import { moveRollout } from "./rollout-state-machine";
import type { RolloutBackend } from "./rollout-backend";
import { trackRollout } from "./track-rollout";

export type Reconciler = {
  /** Look now instead of at the next tick (after an approval, a registration, a watch event). */
  kick(): void;
  /** Applies an approved rollout now, outside the loop's pass (its claim keeps it exactly-once), then wakes the loop. */
  expedite(rolloutId: string): void;
  /** One full pass; resolves when done. Tests and the start-up reconciliation call it directly. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Graceful shutdown: takes no new work, lets this process's applies finish within `graceMs`, hands the rest over
   * (their claims cleared, the other replicas told), and releases the reconciler's lease.
   */
  drain(graceMs: number): Promise<{ finished: number; handedOver: number }>;
};

/** Checkpoints nobody decided in time expire; their rollouts with them. */
export async function expireCheckpoints(db: Db): Promise<number> {
  const due = await db.rollout.findMany({
    where: { state: "awaiting_approval", expiresAt: { lt: new Date() } },
    select: { id: true, environment: true, service: { select: { name: true } } },
  });
  let expired = 0;
  for (const { id, environment, service } of due) {
    await withAudit(db, systemContext("checkpoint-expiry"), async (tx, audit) => {
      const moved = await moveRollout(tx, audit, {
        id,
        from: ["awaiting_approval"],
        to: "expired",
        data: { finishedAt: new Date() },
        details: { service: service.name, environment },
      });
      if (!moved) return audit.nothingChanged();
      await tx.checkpoint.updateMany({ where: { rolloutId: id, state: "awaiting_approval" }, data: { state: "expired", decidedAt: new Date() } });
      expired++;
    });
  }
  return expired;
}

/**
 * Drives rollouts forward: applies approved ones, resumes applies whose process died, tracks progressing ones,
 * expires stale checkpoints. With several replicas, the passes run on one of them at a time (the lease
 * "rollout-reconciler" in Postgres; another replica takes over when it lapses or is released), while any replica
 * applies the rollouts its own requests approved at once (`expedite`): the approved -> applying claim makes each
 * apply exactly-once whoever races for it. A kick on a replica that does not hold the lease reaches the one that
 * does through a Postgres notification. On start, one pass reconciles whatever a crash left in flight.
 */
/** How many rollouts one pass works on at once. */
const reconcileConcurrency = 4;

export type ReconcilerOptions = {
  intervalMs?: number;
  /** How long the reconciler's lease outlives a replica that stopped renewing it (a crash): the takeover delay. */
  leaseMs?: number;
  /** Where kicks from other replicas arrive (absent in single-process tests). */
  changes?: ChangeFeed | Promise<ChangeFeed>;
};

export function startReconciler(db: Db, backend: RolloutBackend, options: ReconcilerOptions = {}): Reconciler {
  const interval = options.intervalMs ?? 2_000;
  let stopped = false;
  const watched = new Map<string, () => void>();
  // This process's applies in flight, so a shutdown can wait for them or hand them over.
  const applying = new Map<string, Promise<unknown>>();

  function apply(rolloutId: string): Promise<unknown> {
    const running = applying.get(rolloutId);
    if (running) return running;
    const started = applyRollout(db, backend, rolloutId).finally(() => applying.delete(rolloutId));
    applying.set(rolloutId, started);
    return started;
  }

  async function pass(): Promise<void> {
    await expireCheckpoints(db);
    const inFlight = await db.rollout.findMany({
      where: {
        OR: [
          { state: "approved" },
          { state: "applying", OR: [{ claimedAt: null }, { claimedAt: { lt: new Date(Date.now() - applyLeaseMs()) } }] },
          { state: "progressing" },
        ],
      },
      orderBy: { createdAt: "asc" },
      select: { id: true, state: true },
      take: 200,
    });
    // Approved rollouts first: a person is waiting for their patch. Several at a time; the database claims (row
    // locks, leases, guarded transitions) keep each apply and each transition exactly-once whatever the overlap.
    const queue = [...inFlight.filter((r) => r.state !== "progressing"), ...inFlight.filter((r) => r.state === "progressing")];
    const worker = async () => {
      for (let rollout = queue.shift(); rollout && !stopped; rollout = queue.shift()) {
        try {
          if (rollout.state === "progressing") await trackRollout(db, backend, rollout.id);
          else await apply(rollout.id);
        } catch (error) {
          logger().error({ err: error, rolloutId: rollout.id }, "reconciling a rollout failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(reconcileConcurrency, queue.length) }, worker));
    if (!stopped) await watchProgressing();
  }

  /** Watch events on progressing rollouts' workloads wake the loop at once, so the UI sees outcomes within a second. */
  async function watchProgressing(): Promise<void> {
    const targets = await db.rolloutTarget.findMany({
      where: { rollout: { state: "progressing" } },
      select: { rolloutId: true, cluster: true, namespace: true, workloadKind: true, workloadName: true },
    });
    const wanted = new Map<string, (typeof targets)[number]>();
    for (const t of targets) wanted.set(`${t.rolloutId}|${t.cluster}|${t.namespace}|${t.workloadName}`, t);
    for (const [key, unsubscribe] of watched) {
      if (!wanted.has(key)) {
        unsubscribe();
        watched.delete(key);
      }
    }
    for (const [key, t] of wanted) {
      if (watched.has(key)) continue;
      watched.set(
        key,
        backend.subscribe([{ cluster: t.cluster, kind: t.workloadKind as "Deployment" | "Rollout", namespace: t.namespace, name: t.workloadName }], () =>
          job.kick(),
        ),
      );
    }
  }

  function unwatchAll(): void {
    for (const unsubscribe of watched.values()) unsubscribe();
    watched.clear();
  }

  const job = startLeasedJob(db, {
    name: "rollout-reconciler",
    run: pass,
    intervalMs: interval,
    ttlMs: options.leaseMs ?? Math.max(interval * 5, 10_000),
    // Only the holder follows watches; a replica that lost the lease lets them go.
    onHolding: (holding) => holding || unwatchAll(),
  });

  /** Tells the replica holding the lease (maybe this one) to run a pass now. */
  function wakeHolder(): void {
    if (job.holding() && !stopped) return job.kick();
    void notifyChange(db, { topic: "reconcile" }).catch((error: unknown) => logger().warn({ err: error }, "could not wake the rollout reconciler"));
  }

  let unsubscribeFeed: (() => void) | undefined;
  if (options.changes) {
    void Promise.resolve(options.changes).then(
      (feed) => {
        if (stopped) return;
        unsubscribeFeed = feed.subscribe((change) => {
          if (change.topic === "reconcile" || change.topic === "resync") job.kick();
        });
      },
      (error: unknown) => logger().warn({ err: error }, "the rollout reconciler hears no other replica"),
    );
  }

  function stopTakingWork(): void {
    stopped = true;
    unsubscribeFeed?.();
    unwatchAll();
  }

  return {
    kick() {
      if (!stopped) job.kick();
      if (!job.holding() || stopped) wakeHolder();
    },
    expedite(rolloutId: string) {
      if (stopped) return wakeHolder();
      void apply(rolloutId)
        .catch((error: unknown) => logger().error({ err: error, rolloutId }, "applying an approved rollout failed"))
        // The replica holding the lease tracks it from here (and follows its workloads' watch events).
        .finally(wakeHolder);
    },
    runOnce: () => job.runOnce(),
    async stop() {
      stopTakingWork();
      await job.stop();
    },
    async drain(graceMs: number) {
      const deadline = Date.now() + graceMs;
      stopTakingWork();
      const pending = [...applying.values()];
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
      clearTimeout(timeout);
      const left = [...applying.keys()];
      if (left.length) {
        // An apply still running when the grace period ends is handed over: with its claim cleared, the next pass
        // of whichever replica holds the lease resumes it (the image patch is idempotent), and this one stops
        // before its next patch.
        await db.rollout
          .updateMany({ where: { id: { in: left }, state: "applying" }, data: { claimedAt: null } })
          .catch((error: unknown) => logger().warn({ err: error, rollouts: left }, "could not hand over applies in flight"));
        logger().warn({ rollouts: left }, "handed applies in flight over to another replica");
      }
      await job.stop({ waitMs: Math.max(0, deadline - Date.now()) });
      await notifyChange(db, { topic: "reconcile" }).catch(() => undefined);
      return { finished: pending.length - left.length, handedOver: left.length };
    },
  };
}
