import "server-only";
import { createHash } from "node:crypto";
import type { Clock, MetricsAlert, MetricsSource, QueryOptions, QueryPurpose, QueryRange, Series } from "../metrics";

/**
 * The embedded default's metrics source: no Prometheus, the same story as the simulated clusters. Traffic follows a
 * daily shape per service; email-sender's crash-looping staging release raises errors, latency and restarts from
 * the moment it rolled out until it is rolled back; card-processing's canary carries its weight of the traffic on
 * the new version. Deterministic from (service, time). It answers by recognising the panel a query is for, never
 * by reading the PromQL.
 */

export type DemoMetricsEvents = {
  /** A release whose pods crash-loop: from `startedAt` until `endedAt` (its rollback), epoch ms. */
  crashLoops: Array<{ namespace: string; workload: string; startedAt: number; endedAt?: number | null }>;
  /** A canary carrying `weight` % of the traffic on `version` from `startedAt` until `endedAt`, epoch ms. */
  canaries: Array<{ workload: string; stableVersion: string; version: string; weight: number; startedAt: number; endedAt?: number | null }>;
};

export type DemoMetricsOptions = {
  environment: string;
  /** Read on every query, so a rollback or a promotion shows on the next refresh. */
  events: () => DemoMetricsEvents;
  clock?: Clock;
  scrapeIntervalSeconds?: number;
};

function hashOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** Deterministic wobble in [-1, 1] for a service at a moment (per minute). */
function wobble(key: string, t: number): number {
  return (hashOf(`${key}:${Math.floor(t / 60)}`) / 0xffffffff) * 2 - 1;
}

function dailyShape(t: number): number {
  const hour = (t / 3600) % 24;
  return 0.55 + 0.45 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) + 0.05;
}

type Moment = { rps: number; errorRatio: number; p50: number; p95: number; p99: number; restartsPerHour: number; replicas: number; available: number };

export class DemoMetricsSource implements MetricsSource {
  readonly id: string;
  readonly scrapeIntervalSeconds: number;
  private readonly clock: Clock;

  constructor(private readonly options: DemoMetricsOptions) {
    this.id = `demo:${options.environment}`;
    this.scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 15;
    this.clock = options.clock ?? Date;
  }

  private crashLoopAt(workload: string, tMs: number): boolean {
    return this.options.events().crashLoops.some((c) => c.workload === workload && tMs >= c.startedAt && (c.endedAt == null || tMs < c.endedAt));
  }

  private moment(workload: string, t: number): Moment {
    const h = hashOf(`${this.options.environment}/${workload}`);
    const production = this.options.environment === "production";
    const base = (4 + (h % 60)) * (production ? 3 : 0.4);
    const rps = base * dailyShape(t) * (1 + 0.06 * wobble(workload, t));
    const replicas = production ? 2 + (h % 3) : 2;
    const p50 = 12 + (h % 30) + 2 * wobble(`${workload}/lat`, t);
    const healthy: Moment = {
      rps,
      errorRatio: (0.1 + ((h >>> 8) % 30) / 100) * (1 + 0.3 * wobble(`${workload}/err`, t)),
      p50,
      p95: p50 * 3.2,
      p99: p50 * 6,
      restartsPerHour: 0,
      replicas,
      available: replicas,
    };
    if (!this.crashLoopAt(workload, t * 1000)) return healthy;
    // The new pods never become ready: the old ReplicaSet keeps serving with fewer pods, so errors and latency climb.
    const errorRatio = 4 + 1.5 * wobble(`${workload}/crash`, t);
    return { ...healthy, errorRatio, p95: healthy.p95 * 2.5, p99: healthy.p99 * 3, restartsPerHour: 30, available: replicas - 1 };
  }

  /** Traffic per version: the canary's weight on the new one while it runs. */
  private trafficSplit(workload: string, t: number): Array<{ version: string; share: number }> {
    const at = t * 1000;
    const canary = this.options.events().canaries.find((c) => c.workload === workload && at >= c.startedAt && (c.endedAt == null || at < c.endedAt));
    if (!canary) return [{ version: "current", share: 1 }];
    return [
      { version: canary.stableVersion, share: 1 - canary.weight / 100 },
      { version: canary.version, share: canary.weight / 100 },
    ];
  }

  private value(purpose: QueryPurpose, t: number): number | null {
    const { workload } = purpose.service;
    const m = this.moment(workload, t);
    const window = purpose.windowSeconds ?? 0;
    switch (`${purpose.panelId}/${purpose.target ?? ""}`) {
      case "error-ratio/errors":
        return m.errorRatio;
      case "latency/p50":
        return m.p50;
      case "latency/p95":
        return m.p95;
      case "latency/p99":
        return m.p99;
      case "cpu/used":
        return 0.03 + m.rps * 0.004;
      case "cpu/requested":
        return 0.25 * m.replicas;
      case "cpu/limit":
        return 1 * m.replicas;
      case "memory/working set":
        return (140 + m.rps * 0.8) * 1_048_576 * m.replicas;
      case "memory/requested":
        return 256 * 1_048_576 * m.replicas;
      case "memory/limit":
        return 512 * 1_048_576 * m.replicas;
      case "replicas/available":
        return m.available;
      case "replicas/desired":
        return m.replicas;
      case "restarts/restarts":
        // increase() over the rate window, as the template asks Prometheus: fractional, like Prometheus's answer.
        return (m.restartsPerHour * 4 * this.scrapeIntervalSeconds) / 3600;
      case "health-error-ratio/":
        return this.averageOver(workload, t, window, (x) => x.errorRatio);
      case "health-latency-p95/":
        return this.averageOver(workload, t, window, (x) => x.p95);
      case "health-restarts/":
        return Math.round(this.averageOver(workload, t, window, (x) => x.restartsPerHour) * (window / 3600));
      default:
        return null;
    }
  }

  private averageOver(workload: string, end: number, window: number, pick: (m: Moment) => number): number {
    const samples = 12;
    let sum = 0;
    for (let i = 0; i < samples; i++) sum += pick(this.moment(workload, end - (window * (i + 0.5)) / samples));
    return sum / samples;
  }

  async queryRange(_query: string, range: QueryRange, options: QueryOptions): Promise<Series[]> {
    const purpose = options.purpose;
    if (!purpose) return [];
    const times: number[] = [];
    for (let t = range.start; t <= range.end; t += range.step) times.push(t);
    if (purpose.panelId === "request-rate") {
      const versions = new Map<string, Array<[number, number | null]>>();
      for (const t of times) {
        const rps = this.moment(purpose.service.workload, t).rps;
        for (const { version, share } of this.trafficSplit(purpose.service.workload, t)) {
          if (!versions.has(version)) versions.set(version, []);
          versions.get(version)!.push([t * 1000, rps * share]);
        }
      }
      return [...versions].map(([version, points]) => ({
        labels: { replicaset: `${purpose.service.workload}-${(hashOf(version) % 0xfffff).toString(16)}`, version },
        points,
      }));
    }
    const points = times.map((t): [number, number | null] => [t * 1000, this.value(purpose, t)]);
    if (points.every(([, v]) => v === null)) return [];
    return [{ labels: { demo: "true" }, points }];
  }

  async query(_query: string, time: number, options: QueryOptions): Promise<Series[]> {
    if (!options.purpose) return [];
    const value = this.value(options.purpose, time);
    return value === null ? [] : [{ labels: {}, points: [[time * 1000, value]] }];
  }

  async alerts(): Promise<MetricsAlert[]> {
    const now = this.clock.now();
    return this.options
      .events()
      .crashLoops.filter((c) => now >= c.startedAt && (c.endedAt == null || now < c.endedAt))
      .map((c) => ({
        name: "KubePodCrashLooping",
        state: "firing" as const,
        labels: {
          alertname: "KubePodCrashLooping",
          namespace: c.namespace,
          container: "app",
          // Named as a Deployment's pod is (<workload>-<template hash>-<5 chars>), so it matches the service.
          pod: `${c.workload}-${(hashOf(c.workload) % 0xfffffff).toString(16)}-x7k2p`,
          severity: "warning",
          demo: "true",
        },
        annotations: { summary: `Pods of ${c.workload} are restarting (demo data)` },
        activeAt: new Date(c.startedAt + 5 * 60_000).toISOString(),
        value: "3",
      }))
      .filter((a) => Date.parse(a.activeAt) <= now);
  }
}

/** One demo source per environment of the embedded default. */
export function createDemoMetricsSources(options: Omit<DemoMetricsOptions, "environment"> & { environments?: string[] }): Record<string, MetricsSource> {
  const environments = options.environments ?? ["staging", "production"];
  return Object.fromEntries(environments.map((environment) => [environment, new DemoMetricsSource({ ...options, environment })]));
}
