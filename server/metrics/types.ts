import "server-only";
import type { MetricsAlert, Series } from "./contract";

/** A range in epoch SECONDS, as Prometheus takes it; start and end are multiples of step. */
export type QueryRange = { start: number; end: number; step: number };

/**
 * What a query is for. Prometheus ignores it; the demo source answers by recognising the panel, never by parsing
 * PromQL.
 */
export type QueryPurpose = {
  panelId: string;
  /** The target's legend within the panel (e.g. "p95", "limit"). */
  target?: string;
  service: { namespace: string; workload: string; kind: "Deployment" | "Rollout" };
  /** For instant queries over a window (rollout health): its length in seconds. */
  windowSeconds?: number;
};

export type QueryOptions = {
  timeoutMs: number;
  signal?: AbortSignal;
  purpose?: QueryPurpose;
  /** Refuse answers bigger than this many series (annotation panels bound their cost). */
  maxSeries?: number;
};

/** Anything speaking the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics), or the demo. */
export interface MetricsSource {
  /** Identifies the backend in cache keys: two sources with the same id answer the same. */
  readonly id: string;
  readonly scrapeIntervalSeconds: number;
  queryRange(query: string, range: QueryRange, options: QueryOptions): Promise<Series[]>;
  /** An instant query at `time` (epoch seconds): each series carries one point. */
  query(query: string, time: number, options: QueryOptions): Promise<Series[]>;
  /** Active alerts (firing and pending). */
  alerts(options: Omit<QueryOptions, "purpose" | "maxSeries">): Promise<MetricsAlert[]>;
}

export type WorkloadKind = "Deployment" | "Rollout";

/** A service as the metrics module sees it: where its workload runs, and its catalogue annotations. */
export type MetricsService = {
  namespace: string;
  workload: string;
  kind: WorkloadKind;
  annotations?: Record<string, string> | null;
};

export type Clock = { now(): number };
