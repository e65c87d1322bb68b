import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { Db } from "./db";
import { logger } from "./logger";

/**
 * Leases in Postgres: the one way Slipway's replicas agree who runs a background job. A lease is a row (name, holder,
 * expiry) taken with one atomic upsert that succeeds only when the row is free, expired or already ours; the
 * database's clock decides expiry, so replicas' clocks may disagree. On embedded PGlite (one process) the same SQL
 * runs and the process always wins.
 */

/** This process as a lease holder: host, pid and a random suffix (a restarted pod reuses its hostname and pid 1). */
export const processHolder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

/** Takes or renews `name` for `ttlMs`; true when this holder has it now. */
export async function acquireLease(db: Db, name: string, ttlMs: number, holder = processHolder): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ holder: string }>>`
    INSERT INTO lease (name, holder, acquired_at, expires_at)
    VALUES (${name}, ${holder}, now(), now() + ${ttlMs}::double precision * interval '1 millisecond')
    ON CONFLICT (name) DO UPDATE
      SET holder = EXCLUDED.holder,
          expires_at = EXCLUDED.expires_at,
          acquired_at = CASE WHEN lease.holder = EXCLUDED.holder THEN lease.acquired_at ELSE EXCLUDED.acquired_at END
      WHERE lease.holder = EXCLUDED.holder OR lease.expires_at < now()
    RETURNING holder`;
  return rows.length === 1;
}

/** Gives `name` up at once (when this holder has it), so another replica takes over without waiting for expiry. */
export async function releaseLease(db: Db, name: string, holder = processHolder): Promise<void> {
  await db.$executeRaw`DELETE FROM lease WHERE name = ${name} AND holder = ${holder}`;
}

export type LeasedJob = {
  /** Run a pass soon, if this replica holds the lease (or wins it now). */
  kick(): void;
  /** Runs a pass now (after the running one); resolves when it is done. */
  runOnce(): Promise<void>;
  /** True while this replica holds the lease (as of its last renewal). */
  holding(): boolean;
  /**
   * Stops taking passes, waits for the running one (at most `waitMs`: a shutdown hands the rest over), and releases
   * the lease so another replica takes over at once.
   */
  stop(options?: { waitMs?: number }): Promise<void>;
};

export type LeasedJobOptions = {
  /** The lease's name: one per job ("rollout-reconciler", "notifications"). */
  name: string;
  /** One pass of the job; runs only on the lease holder, never two at once in a process. */
  run: () => Promise<void>;
  /** Time between passes (and renewals) when nothing kicks the job. */
  intervalMs: number;
  /** How long a lease outlives a holder that stops renewing it (a crash, a network partition); > intervalMs. */
  ttlMs?: number;
  /** Called when this replica gains or loses the lease (watches to open or close). */
  onHolding?: (holding: boolean) => void;
  holder?: string;
};

/**
 * A background job that runs on exactly one replica at a time: every pass first renews (or takes) the lease, and a
 * pass whose renewal fails does nothing. A pass longer than the lease's ttl could overlap a new holder's pass, so
 * the job's own writes stay guarded (state transitions, row locks): the lease spares the duplicated work, the guards
 * keep it correct. The notifications worker and any later job reuse this.
 */
export function startLeasedJob(db: Db, options: LeasedJobOptions): LeasedJob {
  const ttlMs = options.ttlMs ?? Math.max(options.intervalMs * 5, 10_000);
  const holder = options.holder ?? processHolder;
  let held = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let kickTimer: NodeJS.Timeout | undefined;

  const setHeld = (now: boolean) => {
    if (now === held) return;
    held = now;
    logger().info({ lease: options.name, holder }, now ? "took the lease" : "lost the lease");
    options.onHolding?.(now);
  };

  async function pass(): Promise<void> {
    let ours = false;
    try {
      ours = await acquireLease(db, options.name, ttlMs, holder);
    } catch (error) {
      // The database does not answer: not ours until it does (another replica may take over meanwhile).
      logger().warn({ err: error, lease: options.name }, "could not renew a lease");
    }
    if (stopped) return;
    setHeld(ours);
    if (ours) await options.run();
  }

  function runNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => logger().error({ err: error, lease: options.name }, "a leased job's pass failed"))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runNow();
        }
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => void runNow().then(schedule), options.intervalMs);
  }
  void runNow().then(schedule);

  return {
    kick() {
      if (stopped || kickTimer) return;
      // Coalesce a burst of kicks (watch events, notifications) into one pass.
      kickTimer = setTimeout(() => {
        kickTimer = undefined;
        void runNow();
      }, 50);
    },
    runOnce: runNow,
    holding: () => held,
    async stop(how = {}) {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      clearTimeout(kickTimer);
      const wait = running ?? Promise.resolve();
      if (how.waitMs === undefined) await wait;
      else {
        let timeout: NodeJS.Timeout | undefined;
        await Promise.race([wait, new Promise((resolve) => (timeout = setTimeout(resolve, how.waitMs)))]);
        clearTimeout(timeout);
      }
      if (held) {
        setHeld(false);
        await releaseLease(db, options.name, holder).catch((error: unknown) => logger().warn({ err: error, lease: options.name }, "could not release a lease"));
      }
    },
  };
}
