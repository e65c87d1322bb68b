import "server-only";

/**
 * Grafana's step sizing: points per series = min(panel width, 1000), step = max(scrape interval, range / points,
 * range / 11000) rounded up to a value people read easily, start and end aligned down to the step so refreshes
 * within a step ask the same question (and hit the cache), rate window = max(step + scrape, 4 * scrape).
 */

/** Prometheus refuses query_range with more than this many steps per series. */
export const MAX_PROMETHEUS_POINTS = 11_000;
export const MAX_POINTS_PER_SERIES = 1_000;

const NICE_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

export type StepPlan = {
  /** Seconds between points. */
  step: number;
  /** Epoch seconds, multiples of step. */
  start: number;
  end: number;
  /** The `$__rate_interval` for rate()/increase() at this step, seconds. */
  rateWindow: number;
};

function niceAtLeast(seconds: number): number {
  const nice = NICE_STEPS.find((s) => s >= seconds);
  return nice ?? Math.ceil(seconds / 86400) * 86400;
}

export function planSteps(input: { from: number; to: number; widthPx: number; scrapeIntervalSeconds?: number }): StepPlan {
  const scrape = input.scrapeIntervalSeconds ?? 15;
  const fromS = Math.floor(input.from / 1000);
  const toS = Math.max(fromS + 1, Math.floor(input.to / 1000));
  const range = toS - fromS;
  const points = Math.max(1, Math.min(Math.floor(input.widthPx), MAX_POINTS_PER_SERIES));
  // One step fewer than Prometheus's cap leaves room for the extra point that alignment can add.
  const step = niceAtLeast(Math.max(scrape, range / points, range / (MAX_PROMETHEUS_POINTS - 1)));
  const start = Math.floor(fromS / step) * step;
  const end = Math.max(start + step, Math.floor(toS / step) * step);
  return { step, start, end, rateWindow: Math.max(step + scrape, 4 * scrape) };
}
