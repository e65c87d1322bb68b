/**
 * What a running Slipway says about itself on its /metrics port (SLIPWAY_METRICS_PORT), sampled over a run: resident
 * memory, heap, open handles, open event streams, database pool and requests answered. The soak bench reads memory
 * growth and leaks from these.
 */

/** The figures of one scrape; a metric with labels is the sum over its series. */
export type ReplicaSample = {
  atS: number;
  rssMb: number;
  heapMb: number;
  /** Memory outside V8's heap (Buffers, native allocations) that V8 knows of. */
  externalMb: number;
  handles: number;
  streams: number;
  poolConnections: number;
  requests: number;
};

/** Sums every series of each metric in a Prometheus text exposition. */
export function parsePrometheusText(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) sums.set(match[1]!, (sums.get(match[1]!) ?? 0) + value);
  }
  return sums;
}

export async function scrapeReplica(metricsUrl: string, startedAt: number): Promise<ReplicaSample> {
  const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`${metricsUrl} answered ${res.status}`);
  const m = parsePrometheusText(await res.text());
  const mb = (name: string) => Math.round(((m.get(name) ?? NaN) / 1_048_576) * 10) / 10;
  return {
    atS: Math.round((performance.now() - startedAt) / 100) / 10,
    rssMb: mb("process_resident_memory_bytes"),
    heapMb: mb("nodejs_heap_size_used_bytes"),
    externalMb: mb("nodejs_external_memory_bytes"),
    handles: m.get("nodejs_active_handles_total") ?? NaN,
    streams: m.get("slipway_sse_streams_open") ?? 0,
    poolConnections: m.get("slipway_db_pool_connections") ?? NaN,
    requests: m.get("slipway_http_requests_total") ?? 0,
  };
}

/** Scrapes every replica every `everyMs`; a failed scrape is counted, not fatal (the run reports it as an error). */
export function startSampling(replicas: Array<{ name: string; metricsUrl: string }>, everyMs: number, startedAt: number) {
  const samples = new Map<string, ReplicaSample[]>(replicas.map((r) => [r.name, []]));
  let failures = 0;
  const sampleAll = () =>
    Promise.all(
      replicas.map(async (r) => {
        try {
          samples.get(r.name)!.push(await scrapeReplica(r.metricsUrl, startedAt));
        } catch {
          failures++;
        }
      }),
    );
  let pending = sampleAll();
  const timer = setInterval(() => {
    pending = pending.then(sampleAll);
  }, everyMs);
  return {
    samples,
    failures: () => failures,
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN;
};

/**
 * Memory growth after warm-up: the median of the first three samples taken after `warmupS` against the median of the
 * last three (medians, so one garbage collection's swing is not a trend), and the least-squares slope of every sample
 * after warm-up in MB per minute.
 */
export function growthAfterWarmup(samples: ReplicaSample[], warmupS: number, pick: (s: ReplicaSample) => number) {
  const after = samples.filter((s) => s.atS >= warmupS && Number.isFinite(pick(s)));
  if (after.length < 2)
    return { baseMb: NaN, endMb: NaN, growthMb: NaN, slopeMbPerMin: NaN, floorFirstMb: NaN, floorSecondMb: NaN, floorGrowthMb: NaN, peakMb: NaN };
  const baseMb = median(after.slice(0, 3).map(pick));
  const endMb = median(after.slice(-3).map(pick));
  const n = after.length;
  const mx = after.reduce((a, s) => a + s.atS, 0) / n;
  const my = after.reduce((a, s) => a + pick(s), 0) / n;
  const sxy = after.reduce((a, s) => a + (s.atS - mx) * (pick(s) - my), 0);
  const sxx = after.reduce((a, s) => a + (s.atS - mx) ** 2, 0);
  const round = (x: number) => Math.round(x * 10) / 10;
  // Resident memory saws up and down by collections (here: a swing of ~200 MB every two minutes); what a leak moves
  // is the floor the collections return to. The lowest sample of each half after warm-up is that floor.
  const half = after.filter((s) => s.atS < (after[0]!.atS + after[n - 1]!.atS) / 2);
  const rest = after.slice(half.length);
  const floorFirstMb = Math.min(...half.map(pick));
  const floorSecondMb = rest.length ? Math.min(...rest.map(pick)) : NaN;
  return {
    baseMb: round(baseMb),
    endMb: round(endMb),
    growthMb: round(endMb - baseMb),
    slopeMbPerMin: round(sxx ? (sxy / sxx) * 60 : 0),
    floorFirstMb: round(floorFirstMb),
    floorSecondMb: round(floorSecondMb),
    floorGrowthMb: round(floorSecondMb - floorFirstMb),
    peakMb: round(Math.max(...after.map(pick))),
  };
}
