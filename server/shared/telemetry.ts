import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Slipway's own metrics: one prom-client registry per process and the instruments every layer records into. It lives
 * in server/shared because the route wrapper, the SSE helper and the database (all here) record into it, and modules
 * may import shared code but not each other's internals. The custom server and the Next.js bundles load this module
 * separately, so the registry sits on globalThis: a request a route handler counts is the one /metrics shows.
 * Labels are bounded: route templates, cluster and source names from the config, fixed verbs and outcomes.
 */

/** pg's Pool figures (server/shared/db.ts hands its pool over on Postgres; PGlite has no pool). */
export type PoolFigures = { totalCount: number; idleCount: number; waitingCount: number; options: { max?: number } };

/** Rollouts waiting on or moved by the reconciler, read from the database on each scrape (the same for every replica). */
export type RolloutFigures = { inFlight: Record<string, number>; oldestApprovedAt: Date | null };

type Hooks = { pool?: PoolFigures | undefined; poolGauges?: boolean; rollouts?: (() => Promise<RolloutFigures>) | undefined };

export type Telemetry = {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
  kubeRequests: Counter<"cluster" | "verb" | "outcome">;
  kubeDuration: Histogram<"cluster" | "verb">;
  watchRestarts: Counter<"cluster" | "resource" | "reason">;
  backendRequests: Counter<"backend" | "source" | "operation" | "outcome">;
  backendDuration: Histogram<"backend" | "source" | "operation">;
  sseStreams: Gauge<"route">;
  hooks: Hooks;
};

const telemetryKey = Symbol.for("slipway.telemetry");
type WithTelemetry = typeof globalThis & { [telemetryKey]?: Telemetry };

function create(): Telemetry {
  const registry = new Registry();
  const hooks: Hooks = {};
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // Both rollout gauges come from one database read per scrape (prom-client collects every metric at once).
  let reading: { at: number; figures: Promise<RolloutFigures | undefined> } | undefined;
  const rolloutFigures = () => {
    if (!reading || performance.now() - reading.at > 1_000) {
      reading = { at: performance.now(), figures: hooks.rollouts ? hooks.rollouts().catch(() => undefined) : Promise.resolve(undefined) };
    }
    return reading.figures;
  };
  new Gauge({
    name: "slipway_rollouts_in_flight",
    help: "Rollouts the reconciler has to move (approved, applying, progressing) and those awaiting a decision, by state.",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const figures = await rolloutFigures();
      this.reset();
      for (const [state, count] of Object.entries(figures?.inFlight ?? {})) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "slipway_reconciler_lag_seconds",
    help: "How long the oldest approved rollout has waited for the reconciler to apply it (0 when none waits).",
    registers,
    async collect() {
      const figures = await rolloutFigures();
      this.reset();
      if (figures) this.set(figures.oldestApprovedAt ? Math.max(0, (Date.now() - figures.oldestApprovedAt.getTime()) / 1000) : 0);
    },
  });
  return {
    registry,
    hooks,
    httpRequests: new Counter({
      name: "slipway_http_requests_total",
      help: "HTTP requests answered, by route template and status.",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "slipway_http_request_duration_seconds",
      help: "Time to answer an HTTP request (server-sent event streams excluded: they last as long as the page is open).",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    kubeRequests: new Counter({
      name: "slipway_kube_requests_total",
      help: "Kubernetes API calls by cluster, verb and outcome (ok, or the kind of failure).",
      labelNames: ["cluster", "verb", "outcome"] as const,
      registers,
    }),
    kubeDuration: new Histogram({
      name: "slipway_kube_request_duration_seconds",
      help: "Time a Kubernetes API call took (for watch: until the stream opened).",
      labelNames: ["cluster", "verb"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    watchRestarts: new Counter({
      name: "slipway_kube_watch_restarts_total",
      help: "Watches reopened: expired (the idle timeout, routine), gone (410: listed again) or failed (after an error).",
      labelNames: ["cluster", "resource", "reason"] as const,
      registers,
    }),
    backendRequests: new Counter({
      name: "slipway_backend_requests_total",
      help: "Calls to Prometheus and Elasticsearch/OpenSearch by source and outcome.",
      labelNames: ["backend", "source", "operation", "outcome"] as const,
      registers,
    }),
    backendDuration: new Histogram({
      name: "slipway_backend_request_duration_seconds",
      help: "Time a call to Prometheus or Elasticsearch/OpenSearch took.",
      labelNames: ["backend", "source", "operation"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    sseStreams: new Gauge({
      name: "slipway_sse_streams_open",
      help: "Server-sent event streams open now, by route template.",
      labelNames: ["route"] as const,
      registers,
    }),
  };
}

export function telemetry(): Telemetry {
  const g = globalThis as WithTelemetry;
  return (g[telemetryKey] ??= create());
}

/** The Postgres pool whose use /metrics reports; its gauges appear with the first pool (PGlite has none). */
export function observeDatabasePool(pool: PoolFigures): void {
  const { registry, hooks } = telemetry();
  hooks.pool = pool;
  if (hooks.poolGauges) return;
  hooks.poolGauges = true;
  const gauge = (name: string, help: string, read: (p: PoolFigures) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = hooks.pool ? read(hooks.pool) : undefined;
        if (value !== undefined) this.set(value);
      },
    });
  gauge("slipway_db_pool_connections", "Connections open in the Postgres pool (idle and in use).", (p) => p.totalCount);
  gauge("slipway_db_pool_idle_connections", "Open connections in the Postgres pool that no query uses.", (p) => p.idleCount);
  gauge("slipway_db_pool_waiting_requests", "Queries waiting for a free connection of the Postgres pool.", (p) => p.waitingCount);
  gauge("slipway_db_pool_max_connections", "The Postgres pool's size limit.", (p) => p.options.max);
}

/** Where /metrics reads in-flight rollouts and the reconciler's lag from (the composition root sets it). */
export function observeRollouts(read: (() => Promise<RolloutFigures>) | null): void {
  telemetry().hooks.rollouts = read ?? undefined;
}

/** Times `call` and records it with the outcome `outcomeOf` names (null error: "ok"). */
export async function measured<T>(
  call: () => Promise<T>,
  record: (outcome: string, seconds: number) => void,
  outcomeOf: (error: unknown) => string,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await call();
    record("ok", (performance.now() - started) / 1000);
    return result;
  } catch (error) {
    let outcome = "error";
    try {
      outcome = outcomeOf(error);
    } catch {
      /* keep "error" */
    }
    record(outcome, (performance.now() - started) / 1000);
    throw error;
  }
}
