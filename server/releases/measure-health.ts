import "server-only";
import { serviceWorkloadIn } from "../cluster";
import type { Metrics } from "../metrics";
import type { HealthVerdict, MeasureHealth } from "./health-verdicts";

type ServiceRef = { name: string; annotations: Record<string, string>; team: string | null };

async function measure(
  metrics: Metrics,
  service: ServiceRef,
  environment: string,
  window: { startedAt: Date; finishedAt?: Date | null; nextStartedAt?: Date | null; until?: Date | null },
): Promise<HealthVerdict | null> {
  if (!metrics.environments().includes(environment)) return null;
  const workload = await serviceWorkloadIn(service, environment);
  if (!workload) return null;
  const health = await metrics.rolloutHealth({
    service: { namespace: workload.namespace, workload: workload.name, kind: workload.kind, annotations: service.annotations },
    environment,
    startedAt: window.startedAt.getTime(),
    finishedAt: window.finishedAt?.getTime() ?? null,
    nextStartedAt: window.nextStartedAt?.getTime() ?? null,
    until: window.until?.getTime() ?? null,
  });
  // A verdict that only says "could not tell" because the source failed is tried again later, not stored.
  if (health.verdict === "unknown" && health.errors.length) return null;
  return { verdict: health.verdict, summary: health.summary, measures: health.measures };
}

/** A rollout's before/after health measured through the metrics module (for the stored verdicts). */
export function measureWithMetrics(metrics: Metrics): MeasureHealth {
  return (r) => measure(metrics, r.service, r.environment, r);
}

/** How a release has done in an earlier environment since it rolled out there, until now (checkpoint evidence). */
export function healthSince(metrics: Metrics, service: ServiceRef, environment: string, startedAt: Date): Promise<HealthVerdict | null> {
  return measure(metrics, service, environment, { startedAt, until: new Date() }).catch(() => null);
}
