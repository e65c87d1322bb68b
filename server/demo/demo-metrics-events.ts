import "server-only";
import type { Db } from "../shared/db";
import { CANARY_IN_STAGING, CRASHLOOP_IN_STAGING, demoVersions, nextVersion } from "./demo-clusters";
import type { DemoMetricsEvents } from "./demo-metrics";

/**
 * What the demo's metrics show follows what happened in the demo's clusters, read from Slipway's own rollout
 * history: email-sender's crash-looping staging release from its rollout until its rollback, and card-processing's
 * canary while it carries traffic. Refreshed every few seconds, so a rollback shows on the next chart refresh.
 */
export function startDemoMetricsEvents(db: Db, options: { intervalMs?: number } = {}): { events: () => DemoMetricsEvents; stop(): void } {
  let current: DemoMetricsEvents = { crashLoops: [], canaries: [] };
  async function refresh(): Promise<void> {
    const [crashing, canaries] = await Promise.all([
      db.rollout.findMany({
        where: {
          environment: "staging",
          service: { name: CRASHLOOP_IN_STAGING },
          kind: "deploy",
          startedAt: { not: null },
          // The release whose pods the demo's staging cluster makes crash-loop (see demo-clusters.ts).
          release: { version: nextVersion(demoVersions(CRASHLOOP_IN_STAGING).staging) },
        },
        select: { startedAt: true, rolledBackById: true },
      }),
      db.rollout.findMany({
        where: {
          environment: "staging",
          service: { name: CANARY_IN_STAGING },
          kind: "deploy",
          startedAt: { not: null },
          state: { in: ["progressing", "succeeded", "failed", "rolled_back"] },
        },
        select: { startedAt: true, finishedAt: true, state: true, release: { select: { version: true } }, previousReleaseId: true },
      }),
    ]);
    const rollbacks = await db.rollout.findMany({
      where: { id: { in: crashing.map((c) => c.rolledBackById).filter((id): id is string => id !== null) } },
      select: { id: true, startedAt: true, approvedAt: true },
    });
    const previous = await db.release.findMany({ where: { id: { in: canaries.map((c) => c.previousReleaseId).filter((id): id is string => id !== null) } } });
    current = {
      crashLoops: crashing.map((c) => {
        const back = rollbacks.find((r) => r.id === c.rolledBackById);
        return {
          namespace: "notifications",
          workload: CRASHLOOP_IN_STAGING,
          startedAt: c.startedAt!.getTime(),
          endedAt: (back?.startedAt ?? back?.approvedAt)?.getTime() ?? null,
        };
      }),
      canaries: canaries.map((c) => ({
        workload: CANARY_IN_STAGING,
        stableVersion: previous.find((p) => p.id === c.previousReleaseId)?.version ?? "stable",
        version: c.release.version,
        weight: c.state === "progressing" ? 20 : 100,
        startedAt: c.startedAt!.getTime(),
        endedAt: c.state === "progressing" ? null : (c.finishedAt?.getTime() ?? null),
      })),
    };
  }
  void refresh().catch(() => undefined);
  const timer = setInterval(() => void refresh().catch(() => undefined), options.intervalMs ?? 3_000);
  timer.unref();
  return { events: () => current, stop: () => clearInterval(timer) };
}
