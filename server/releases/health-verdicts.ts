import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import type { Db } from "../shared/db";
import { startLeasedJob } from "../shared/lease";
import { logger } from "../shared/logger";

/** What a rollout did to its service: one line for the Deploys history, and the measures behind it. */
export type HealthVerdict = { verdict: "healthy" | "degraded" | "unknown"; summary: string; measures?: unknown[] };

/** Measures a rollout's before/after health; null when nothing can tell (no metrics for that environment). */
export type MeasureHealth = (rollout: {
  service: { name: string; annotations: Record<string, string>; team: string | null };
  environment: string;
  startedAt: Date;
  finishedAt: Date;
  nextStartedAt: Date | null;
}) => Promise<HealthVerdict | null>;

const terminal = ["succeeded", "failed", "rolled_back"];

/**
 * Computes the health verdict of every rollout that ended at least `windowMinutes` ago (or was followed by another
 * rollout sooner), once: stored on the rollout, never recomputed. Several replicas may compute the same verdict;
 * the guarded write keeps the first.
 */
export async function recordHealthVerdicts(
  db: Db,
  measure: MeasureHealth,
  options: { windowMinutes?: number; batch?: number; now?: Date } = {},
): Promise<number> {
  const windowMs = (options.windowMinutes ?? 30) * 60_000;
  const now = options.now ?? new Date();
  const due = await db.rollout.findMany({
    where: {
      state: { in: terminal },
      health: { equals: Prisma.DbNull },
      startedAt: { not: null },
      finishedAt: { lt: now, gt: new Date(now.getTime() - 14 * 86_400_000) },
    },
    orderBy: { finishedAt: "asc" },
    take: options.batch ?? 20,
    select: {
      id: true,
      environment: true,
      serviceId: true,
      startedAt: true,
      finishedAt: true,
      service: { select: { name: true, annotations: true, team: { select: { name: true } } } },
    },
  });
  let recorded = 0;
  for (const r of due) {
    const next = await db.rollout.findFirst({
      where: { serviceId: r.serviceId, environment: r.environment, startedAt: { gt: r.startedAt! } },
      orderBy: { startedAt: "asc" },
      select: { startedAt: true },
    });
    const settled = r.finishedAt!.getTime() + windowMs <= now.getTime() || (next?.startedAt ?? null) !== null;
    if (!settled) continue;
    try {
      const verdict = await measure({
        service: { name: r.service.name, annotations: (r.service.annotations ?? {}) as Record<string, string>, team: r.service.team?.name ?? null },
        environment: r.environment,
        startedAt: r.startedAt!,
        finishedAt: r.finishedAt!,
        nextStartedAt: next?.startedAt ?? null,
      });
      if (!verdict) continue;
      const stored = await db.rollout.updateMany({
        where: { id: r.id, health: { equals: Prisma.DbNull } },
        data: { health: verdict as Prisma.InputJsonValue },
      });
      recorded += stored.count;
    } catch (error) {
      logger().warn({ err: error, rolloutId: r.id }, "could not compute a rollout's health");
    }
  }
  return recorded;
}

/**
 * Runs recordHealthVerdicts every minute until stopped, on one replica at a time (the lease "health-verdicts"): the
 * guarded write keeps a verdict once anyway; the lease spares the other replicas the metrics queries.
 */
export function startHealthVerdicts(db: Db, measure: MeasureHealth, options: { intervalMs?: number; windowMinutes?: number } = {}): { stop(): void } {
  const job = startLeasedJob(db, {
    name: "health-verdicts",
    intervalMs: options.intervalMs ?? 60_000,
    ttlMs: (options.intervalMs ?? 60_000) * 3,
    run: async () => {
      await recordHealthVerdicts(db, measure, options).catch((error: unknown) => logger().warn({ err: error }, "health verdicts pass failed"));
    },
  });
  return { stop: () => void job.stop() };
}
