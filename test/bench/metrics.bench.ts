/**
 * `npm run bench:metrics`: a real Prometheus with a week of data for 300 services (kube-state-metrics, cAdvisor,
 * application histograms, linkerd), loaded with promtool before start. Prints one line per figure,
 * then
 *   bench:metrics tab_p95_ms_1h=X prometheus_p95_ms_1h=Y added_p95_ms_1h=Z ... queries_per_refresh_100_viewers=Q
 *
 * 1. Whole tabs (every default panel, 8+) through createMetrics without its cache, for 1 h and 7 d ranges, beside
 *    Prometheus's own time for the same queries sent straight to it in parallel (no parsing): the difference is
 *    what Slipway adds.
 * 2. 100 concurrent viewers of one service, over several refreshes: Prometheus queries per refresh, counted at a
 *    proxy in front of it.
 *
 * Two cores serve both Prometheus and Slipway here, so each tab runs BENCH_REPEATS times on each side, interleaved, and
 * the fastest run of each side is compared: what remains is Slipway's own cost, not the machine's noise.
 *
 * Environment: BENCH_SERVICES (300), BENCH_TABS (30 per range), BENCH_REPEATS (3), BENCH_DAYS (7).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createMetrics, DEFAULT_METRIC_NAMES, DEFAULT_PANEL_TEMPLATES, planSteps, PrometheusSource, type MetricsService } from "../../server/metrics";
import { renderQuery } from "../../server/metrics/templates";
import { OpenMetricsWriter, startPrometheus, writeServiceSeries, type FixtureService } from "../fixtures/prometheus";

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  const n = v ? Number(v) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const SERVICES = int("BENCH_SERVICES", 300);
const TABS = int("BENCH_TABS", 30);
const REPEATS = int("BENCH_REPEATS", 3);
const DAYS = int("BENCH_DAYS", 7);
const log = (line: string) => process.stderr.write(`${line}\n`);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (n: number) => n.toFixed(1);

const now = Math.floor(Date.now() / 1000 / 15) * 15;
const fleet: FixtureService[] = Array.from({ length: SERVICES }, (_, i) => ({
  namespace: `squad-${String(i % 30).padStart(2, "0")}`,
  workload: `service-${String(i).padStart(3, "0")}`,
  kind: "Deployment",
  replicaSets: [{ hash: `${(0x5d8f7c9b4 + i * 7919).toString(16).slice(0, 9)}`, pods: 1, weight: 1 }],
  rps: 5 + (i % 50),
  errorRatio: 0.001 * (1 + (i % 7)),
  linkerd: true,
}));

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-metrics-"));
  let started = performance.now();
  const out = new OpenMetricsWriter(path.join(dir, "fleet.om"));
  // A week at 10-minute resolution and the last 75 minutes at 15 s: what 1 h and 7 d tabs read, loaded in about two minutes.
  for (const s of fleet) writeServiceSeries(out, s, { from: now - DAYS * 86400, to: now, interval: 600, fineFrom: now - 4500, fineInterval: 15 });
  out.close();
  const size = fs.statSync(out.file).size;
  const took = ((performance.now() - started) / 1000).toFixed(1);
  log(`data: ${SERVICES} services, ${(out.lines / 1e6).toFixed(1)} M samples, ${(size / 1e9).toFixed(2)} GB OpenMetrics written in ${took} s`);
  started = performance.now();
  const prometheus = await startPrometheus({ openMetricsFile: out.file, maxBlockDuration: `${(DAYS + 1) * 24}h` });
  fs.rmSync(dir, { recursive: true, force: true });
  log(`prometheus: blocks created and started in ${((performance.now() - started) / 1000).toFixed(1)} s at ${prometheus.directUrl}`);

  try {
    const direct = new PrometheusSource({ url: prometheus.directUrl, name: "Prometheus" });
    const uncached = createMetrics({ sources: { production: direct }, cache: false, panelTimeoutMs: 30_000 });
    const service = (s: FixtureService): MetricsService => ({ namespace: s.namespace, workload: s.workload, kind: s.kind });

    /** The same queries straight to Prometheus, in parallel, bodies read but not parsed. */
    async function prometheusOwnTime(s: FixtureService, from: number, to: number, widthPx: number): Promise<number> {
      const plan = planSteps({ from, to, widthPx, scrapeIntervalSeconds: 15 });
      const queries = DEFAULT_PANEL_TEMPLATES.filter((t) => !t.kinds || t.kinds.includes(s.kind)).flatMap((t) =>
        t.targets.map((target) => renderQuery(target.query, { service: service(s), names: DEFAULT_METRIC_NAMES, rateWindowSeconds: plan.rateWindow })),
      );
      const t0 = performance.now();
      await Promise.all(
        queries.map(async (query) => {
          const body = new URLSearchParams({ query, start: String(plan.start), end: String(plan.end), step: String(plan.step) });
          const headers = { "Content-Type": "application/x-www-form-urlencoded" };
          const response = await fetch(`${prometheus.directUrl}/api/v1/query_range`, { method: "POST", body, headers });
          await response.text();
        }),
      );
      return performance.now() - t0;
    }

    const figures: Record<string, string> = {};
    for (const [label, rangeSeconds] of [
      ["1h", 3600],
      ["7d", DAYS * 86400],
    ] as const) {
      const slipway: number[] = [];
      const own: number[] = [];
      const added: number[] = [];
      let panels = 0;
      let failed = 0;
      for (let i = 0; i < TABS; i++) {
        const s = fleet[(i * 37) % fleet.length]!;
        const to = (now - (i % 5) * 60) * 1000;
        const from = to - rangeSeconds * 1000;
        const widthPx = 1200;
        const runSlipway = async () => {
          const t0 = performance.now();
          const tab = await uncached.servicePanels({ service: service(s), environment: "production", from, to, widthPx });
          panels = tab.panels.length;
          failed += tab.panels.filter((p) => p.error).length;
          return performance.now() - t0;
        };
        const runPrometheus = () => prometheusOwnTime(s, from, to, widthPx);
        let a = Number.POSITIVE_INFINITY;
        let b = Number.POSITIVE_INFINITY;
        for (let r = 0; r < REPEATS; r++) {
          // Alternate which side goes first, so neither always meets a warm cache.
          if ((i + r) % 2 === 0) {
            a = Math.min(a, await runSlipway());
            b = Math.min(b, await runPrometheus());
          } else {
            b = Math.min(b, await runPrometheus());
            a = Math.min(a, await runSlipway());
          }
        }
        slipway.push(a);
        own.push(b);
        added.push(a - b);
      }
      log(
        `tab ${label}: ${panels} panels, ${TABS} tabs, ${failed} failed panels;` +
          ` Slipway p50 ${ms(percentile(slipway, 50))} ms p95 ${ms(percentile(slipway, 95))} ms;` +
          ` Prometheus alone p50 ${ms(percentile(own, 50))} ms p95 ${ms(percentile(own, 95))} ms;` +
          ` added by Slipway per tab: median ${ms(percentile(added, 50))} ms, p95 ${ms(percentile(added, 95))} ms (fastest of ${REPEATS} runs each side)`,
      );
      figures[`tab_p95_ms_${label}`] = ms(percentile(slipway, 95));
      figures[`prometheus_p95_ms_${label}`] = ms(percentile(own, 95));
      figures[`added_p95_ms_${label}`] = ms(percentile(added, 95));
      figures[`added_median_ms_${label}`] = ms(percentile(added, 50));
      figures.panels = String(panels);
    }

    // 100 viewers of one service, refreshing together every 15 s (a fake clock moves the time between refreshes).
    let clockNow = now * 1000;
    const counted = new PrometheusSource({ url: prometheus.url, name: "Prometheus" });
    const shared = createMetrics({ sources: { production: counted }, clock: { now: () => clockNow } });
    const perRefresh: number[] = [];
    const viewLatency: number[] = [];
    for (let refresh = 0; refresh < 4; refresh++) {
      const before = prometheus.requests();
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          const t0 = performance.now();
          await shared.servicePanels({ service: service(fleet[7]!), environment: "production", from: clockNow - 3600_000, to: clockNow, widthPx: 1200 });
          viewLatency.push(performance.now() - t0);
        }),
      );
      perRefresh.push(prometheus.requests() - before);
      clockNow += 15_000;
    }
    const targets = DEFAULT_PANEL_TEMPLATES.filter((t) => !t.kinds || t.kinds.includes("Deployment")).reduce((n, t) => n + t.targets.length, 0);
    log(
      `100 concurrent viewers, 4 refreshes 15 s apart: Prometheus queries per refresh ${perRefresh.join(", ")}` +
        ` (the tab has ${targets} queries); view p95 ${ms(percentile(viewLatency, 95))} ms`,
    );
    figures.queries_per_refresh_100_viewers = String(Math.max(...perRefresh));
    figures.queries_per_tab = String(targets);

    const met = Number(figures.added_p95_ms_1h) <= 50 && Number(figures.added_p95_ms_7d) <= 50 && Math.max(...perRefresh) <= targets;
    process.stdout.write(
      `bench:metrics ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")} targets_met=${met}\n`,
    );
  } finally {
    await prometheus.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
