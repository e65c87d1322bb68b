import "server-only";
import type { MetricsAlert, Series } from "./contract";
import type { Clock, MetricsSource, QueryOptions, QueryRange } from "./types";

/**
 * A short cache in front of a source, keyed by query and aligned range, with identical in-flight queries shared:
 * a hundred people watching one service cost one backend query per panel per refresh. The shared query runs with
 * its own timeout; a viewer who goes away stops waiting without cancelling it for the others.
 */

export type CacheOptions = {
  /** How long an answer is reused, at most (never longer than its step). */
  ttlMs?: number;
  maxEntries?: number;
  clock?: Clock;
};

type Entry<T> = { expires: number; value: Promise<T> };

function waitOrAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

export class CachedSource implements MetricsSource {
  readonly id: string;
  readonly scrapeIntervalSeconds: number;
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly clock: Clock;

  constructor(
    private readonly source: MetricsSource,
    options: CacheOptions = {},
  ) {
    this.id = source.id;
    this.scrapeIntervalSeconds = source.scrapeIntervalSeconds;
    this.ttlMs = options.ttlMs ?? 15_000;
    this.maxEntries = options.maxEntries ?? 2_000;
    this.clock = options.clock ?? Date;
  }

  queryRange(query: string, range: QueryRange, options: QueryOptions): Promise<Series[]> {
    const key = `range\u0000${query}\u0000${range.start}\u0000${range.end}\u0000${range.step}\u0000${options.maxSeries ?? ""}`;
    const ttl = Math.min(this.ttlMs, range.step * 1000);
    return this.shared(key, ttl, options, () => this.source.queryRange(query, range, { ...options, signal: undefined }));
  }

  query(query: string, time: number, options: QueryOptions): Promise<Series[]> {
    const key = `instant\u0000${query}\u0000${time}\u0000${options.maxSeries ?? ""}`;
    return this.shared(key, this.ttlMs, options, () => this.source.query(query, time, { ...options, signal: undefined }));
  }

  alerts(options: Omit<QueryOptions, "purpose" | "maxSeries">): Promise<MetricsAlert[]> {
    return this.shared("alerts", Math.min(this.ttlMs, 5_000), options, () => this.source.alerts({ ...options, signal: undefined }));
  }

  private shared<T>(key: string, ttlMs: number, options: { signal?: AbortSignal }, run: () => Promise<T>): Promise<T> {
    const now = this.clock.now();
    const hit = this.entries.get(key) as Entry<T> | undefined;
    if (hit && hit.expires > now) {
      // Refresh its place: the map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return waitOrAbort(hit.value, options.signal);
    }
    const value = run();
    // In flight until settled (expires never), then kept for the TTL; failures are not kept.
    const entry: Entry<T> = { expires: Number.POSITIVE_INFINITY, value };
    this.entries.set(key, entry);
    value.then(
      () => {
        entry.expires = this.clock.now() + ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return waitOrAbort(value, options.signal);
  }
}
