import "server-only";
import type { HealthMeasure, PanelError, RolloutHealth } from "./contract";
import { toPanelError } from "./metrics-errors";
import { HEALTH_TEMPLATES, renderQuery, type MetricNames } from "./templates";
import type { Clock, MetricsService, MetricsSource } from "./types";

/**
 * A rollout's before/after comparison: error ratio, p95 latency and restarts over a window on each side of it
 * (default 30 min, the after side ended early by the next rollout), as one line for the Deploys history.
 */

export type RolloutHealthInput = {
  service: MetricsService;
  environment: string;
  /** Epoch ms: when the rollout started; the before window ends here. */
  startedAt: number;
  /** Epoch ms: when it reached its terminal state; the after window starts here (default startedAt). */
  finishedAt?: number | null;
  /** Epoch ms: the next rollout of the service in the environment, which ends the after window early. */
  nextStartedAt?: number | null;
  /** Epoch ms: end the after window here instead ("in staging since it rolled out there": now). */
  until?: number | null;
  windowMinutes?: number;
};

const MEASURES = [
  { id: "error-ratio", label: "error ratio", unit: "%" },
  { id: "latency-p95", label: "p95", unit: "ms" },
  { id: "restarts", label: "restarts", unit: "count" },
] as const;

function formatValue(id: HealthMeasure["id"], value: number | null): string {
  if (value === null) return "no data";
  if (id === "error-ratio") return `${value < 0.1 && value > 0 ? value.toFixed(2) : value.toFixed(1)}%`;
  if (id === "latency-p95") return `${Math.round(value)} ms`;
  return String(Math.round(value));
}

/** Whether the change is one a person should look at; small wobbles are "unchanged". */
function changeOf(id: HealthMeasure["id"], before: number | null, after: number | null): HealthMeasure["change"] {
  if (before === null || after === null) return "unknown";
  const thresholds = { "error-ratio": { abs: 0.5, rel: 1.5 }, "latency-p95": { abs: 10, rel: 1.2 }, restarts: { abs: 0.5, rel: 1 } }[id];
  if (after - before > thresholds.abs && after > before * thresholds.rel) return "worse";
  if (before - after > thresholds.abs && before > after * thresholds.rel) return "better";
  return "unchanged";
}

export async function measureRolloutHealth(
  input: RolloutHealthInput,
  deps: { source: MetricsSource; names: MetricNames; clock: Clock; timeoutMs: number },
): Promise<RolloutHealth> {
  const windowMs = (input.windowMinutes ?? 30) * 60_000;
  const afterFrom = input.finishedAt ?? input.startedAt;
  const afterEnd = Math.min(input.until ?? afterFrom + windowMs, input.nextStartedAt ?? Number.POSITIVE_INFINITY, deps.clock.now());
  const before = { from: input.startedAt - windowMs, to: input.startedAt };
  const after = { from: afterFrom, to: Math.max(afterFrom, afterEnd) };
  const errors: PanelError[] = [];

  const valueAt = async (id: HealthMeasure["id"], window: { from: number; to: number }): Promise<number | null> => {
    const seconds = Math.floor((window.to - window.from) / 1000);
    if (seconds < 60) return null;
    const query = renderQuery(HEALTH_TEMPLATES[id], { service: input.service, names: deps.names, rateWindowSeconds: seconds, windowSeconds: seconds });
    try {
      const series = await deps.source.query(query, Math.floor(window.to / 1000), {
        timeoutMs: deps.timeoutMs,
        purpose: { panelId: `health-${id}`, service: input.service, windowSeconds: seconds },
      });
      const value = series[0]?.points[0]?.[1];
      return value === undefined ? null : value;
    } catch (error) {
      errors.push(toPanelError(error));
      return null;
    }
  };

  const measures = await Promise.all(
    MEASURES.map(async (m): Promise<HealthMeasure> => {
      const [b, a] = await Promise.all([valueAt(m.id, before), valueAt(m.id, after)]);
      return { ...m, before: b, after: a, text: `${m.label} ${formatValue(m.id, b)} -> ${formatValue(m.id, a)}`, change: changeOf(m.id, b, a) };
    }),
  );
  const known = measures.filter((m) => m.change !== "unknown");
  const verdict = known.length === 0 ? "unknown" : measures.some((m) => m.change === "worse") ? "degraded" : "healthy";
  const worst = measures.filter((m) => m.change === "worse");
  const summary = (worst.length ? worst : known.length ? known : measures).map((m) => m.text).join(", ");
  return { verdict, summary, measures, before, after, errors: dedupe(errors) };
}

function dedupe(errors: PanelError[]): PanelError[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(e.message) && seen.add(e.message));
}
