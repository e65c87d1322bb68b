import "server-only";
import { withAudit } from "../audit";
import { systemContext } from "../identity";
import type { Db } from "../shared/db";
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
 * expires stale checkpoints. Correct with several replicas: every move is a guarded state transition in Postgres,
 * so the work is shared, never duplicated. On start, one pass reconciles whatever a crash left in flight.
 */
/** How many rollouts one pass works on at once. */
const reconcileConcurrency = 4;

export function startReconciler(db: Db, backend: RolloutBackend, options: { intervalMs?: number } = {}): Reconciler {
  const interval = options.intervalMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const watched = new Map<string, () => void>();

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
      for (let rollout = queue.shift(); rollout; rollout = queue.shift()) {
        try {
          if (rollout.state === "progressing") await trackRollout(db, backend, rollout.id);
          else await applyRollout(db, backend, rollout.id);
        } catch (error) {
          logger().error({ err: error, rolloutId: rollout.id }, "reconciling a rollout failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(reconcileConcurrency, queue.length) }, worker));
    await watchProgressing();
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
          kick(),
        ),
      );
    }
  }

  function runOnce(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => logger().error({ err: error }, "rollout reconciler pass failed"))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return running;
  }

  let kickTimer: NodeJS.Timeout | undefined;
  function kick(): void {
    if (stopped || kickTimer) return;
    // Coalesce a burst of watch events into one pass.
    kickTimer = setTimeout(() => {
      kickTimer = undefined;
      void runOnce();
    }, 100);
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(async () => {
      await runOnce();
      schedule();
    }, interval);
  }
  void runOnce().then(schedule);

  function expedite(rolloutId: string): void {
    if (stopped) return;
    void applyRollout(db, backend, rolloutId)
      .catch((error: unknown) => logger().error({ err: error, rolloutId }, "applying an approved rollout failed"))
      .finally(kick);
  }

  return {
    kick,
    expedite,
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(kickTimer);
      for (const unsubscribe of watched.values()) unsubscribe();
      watched.clear();
      await running;
    },
  };
}
