/**
 * npm run bench:logs: the Logs tab against the Elasticsearch API simulator holding LOGS_BENCH_LINES (default
 * 1,000,000) fluentd-shaped lines across 300 services over the last hour. Measures, on Slipway's side and for the
 * store alone (the same requests replayed with plain fetch): the first page (200 lines, 15 minutes), the next page,
 * a line's context; then the live-tail delay from a write to the subscriber's push, and the polls that 100 viewers
 * of one query cause. Prints the figures and one summary line.
 *
 * The simulator runs in its own process (npm run log-sim, with a large heap), so its searches do not share Slipway's
 * event loop and the two sides are timed apart, as with a real store. It narrows each search by time (documents
 * sorted per daily index, bounds by binary search), exact term and id before matching, as an index does.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import readline from "node:readline";
import { bulkBody, fluentdDocument, startEsSim, type FluentdRecord } from "../../server/demo/es-sim";
import { createLogs, ElasticsearchLogSource, type LogSource, type SourceSearch } from "../../server/logs";

const TARGET_LINES = Number(process.env.LOGS_BENCH_LINES ?? 1_000_000);
const SERVICES = 300;
const SAMPLES = Number(process.env.LOGS_BENCH_SAMPLES ?? 20);
const REPEATS = 2;
// One hour: 15 minutes of one service then hold ~800 lines, so a first page is full and a next page exists.
const HOURS = 1;
const HEAP_MB = 14_000;
/** createLogs' default tail interval. */
const TAIL_INTERVAL_MS = 750;

const log = (line: string) => process.stderr.write(`${line}\n`);
const ms = (v: number) => v.toFixed(1);
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Service = { namespace: string; name: string; pods: string[] };
const services: Service[] = Array.from({ length: SERVICES }, (_, i) => ({
  namespace: `team-${i % 30}`,
  name: `service-${i}`,
  pods: Array.from({ length: 1 + (i % 3) }, (_, p) => `service-${i}-6d8f7c9b5-${String.fromCharCode(97 + p)}${"x2k4q".slice(1)}`),
}));

const LEVELS = ["INFO ", "INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"];
function recordAt(rand: () => number, t: number, service: Service): FluentdRecord {
  const pod = service.pods[Math.floor(rand() * service.pods.length)]!;
  const level = LEVELS[Math.floor(rand() * LEVELS.length)]!;
  const iso = new Date(t).toISOString();
  const line =
    rand() < 0.3
      ? JSON.stringify({
          level: level.trim().toLowerCase(),
          ts: iso,
          msg: "request completed",
          path: `/api/items/${Math.floor(rand() * 1e4)}`,
          duration_ms: Math.floor(rand() * 300),
        })
      : `${iso} ${level} [${service.name}] GET /api/orders/${Math.floor(rand() * 1e4)} 200 ${Math.floor(rand() * 300)}ms` +
        ` request_id=${Math.floor(rand() * 1e12).toString(16)}`;
  const image = `registry.example/${service.name}:1.0.0`;
  return { namespace: service.namespace, pod, container: "app", image, labels: { "backstage.io/kubernetes-id": service.name }, time: t, line };
}

type Store = { url: string; stop(): Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function startStore(): Promise<Store> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, "server/cli/log-sim.ts", "--port", String(port), "--lines", "0", "--refresh-interval", "1000"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (line.includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`log-sim exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function indicesOf(url: string): Promise<string> {
  const stats: unknown = await (await fetch(`${url}/_cat/indices?format=json`)).json();
  if (!Array.isArray(stats)) return JSON.stringify(stats).slice(0, 200);
  return (stats as Array<{ index: string; "docs.count": string }>).map((s) => `${s.index}: ${s["docs.count"]} docs`).join(", ");
}

async function load(sim: Store, now: number): Promise<number> {
  const rand = mulberry(7);
  const span = HOURS * 3_600_000;
  const batch = 5000;
  let loaded = 0;
  const started = performance.now();
  while (loaded < TARGET_LINES) {
    const entries = [];
    for (let i = 0; i < batch && loaded + i < TARGET_LINES; i++) {
      // Lines spread evenly in time (oldest first, as fluentd ships them), services drawn at random.
      const t = now - span + Math.floor(((loaded + i) / TARGET_LINES) * span);
      entries.push(fluentdDocument(recordAt(rand, t, services[Math.floor(rand() * SERVICES)]!)));
    }
    const response = await fetch(`${sim.url}/_bulk`, { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: bulkBody(entries) });
    const body = (await response.json()) as { errors: boolean };
    if (!response.ok || body.errors) throw new Error(`bulk failed: ${response.status}`);
    loaded += entries.length;
    if (loaded % 100_000 === 0) log(`loaded ${loaded} lines in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await fetch(`${sim.url}/_refresh`, { method: "POST" });
  log(`loaded ${loaded} lines in ${((performance.now() - started) / 1000).toFixed(1)} s (${await indicesOf(sim.url)})`);
  return loaded;
}

type Op = { kind: "open" } | { kind: "search"; pit: boolean; body: Record<string, unknown> } | { kind: "close" };

/** Records what Slipway asked of the store, so the same requests can be replayed without Slipway. */
function recording(source: LogSource): LogSource & { ops: Op[]; waited: () => number } {
  const ops: Op[] = [];
  // Wall time with at least one store call in flight (context runs two at once).
  let active = 0;
  let since = 0;
  let waited = 0;
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    if (active++ === 0) since = performance.now();
    try {
      return await call();
    } finally {
      if (--active === 0) waited += performance.now() - since;
    }
  };
  return {
    ops,
    waited: () => waited,
    name: source.name,
    flavour: source.flavour,
    fields: source.fields,
    get tieBreaker() {
      return source.tieBreaker;
    },
    openPointInTime: (keepAlive, signal) => {
      ops.push({ kind: "open" });
      return timed(() => source.openPointInTime(keepAlive, signal));
    },
    closePointInTime: (id) => {
      ops.push({ kind: "close" });
      return timed(() => source.closePointInTime(id));
    },
    search: (request: SourceSearch) => {
      ops.push({ kind: "search", pit: request.pit !== undefined, body: request.body });
      return timed(() => source.search(request));
    },
  };
}

/** Counts the searches Slipway sends: what 100 viewers of one query cost the store. */
function counting(source: LogSource): LogSource & { searches: number } {
  const wrapped = {
    searches: 0,
    name: source.name,
    flavour: source.flavour,
    fields: source.fields,
    get tieBreaker() {
      return source.tieBreaker;
    },
    openPointInTime: (keepAlive: string, signal?: AbortSignal) => source.openPointInTime(keepAlive, signal),
    closePointInTime: (id: string) => source.closePointInTime(id),
    search: (request: SourceSearch) => {
      wrapped.searches++;
      return source.search(request);
    },
  };
  return wrapped;
}

/** The store's own time for the recorded requests: plain fetch, a fresh point in time where Slipway opened one. */
async function replay(sim: Store, ops: Op[], searchAfterFromCursor: boolean): Promise<number> {
  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as { id?: string };
  };
  let pit = "";
  // A next page reuses the cursor's point in time: open one outside the timing.
  if (searchAfterFromCursor) pit = (await post("/logstash-*/_pit?keep_alive=5m")).id ?? "";
  const t0 = performance.now();
  const searches = ops.filter((o) => o.kind === "search");
  for (const op of ops) {
    if (op.kind === "open") pit = (await post("/logstash-*/_pit?keep_alive=5m")).id ?? "";
    if (op.kind === "search" && op === searches[0]) {
      // Context runs its two side searches together, as Slipway does.
      const parallel = searches.length === 3 ? searches.slice(1) : [];
      await post(op.pit ? "/_search" : "/logstash-*/_search", op.pit ? { ...op.body, pit: { id: pit, keep_alive: "5m" } } : op.body);
      const search = (p: (typeof parallel)[number]) =>
        post(p.pit ? "/_search" : "/logstash-*/_search", p.pit ? { ...p.body, pit: { id: pit, keep_alive: "5m" } } : p.body);
      await Promise.all(parallel.map(search));
    } else if (op.kind === "search" && searches.length !== 3) {
      await post(op.pit ? "/_search" : "/logstash-*/_search", op.pit ? { ...op.body, pit: { id: pit, keep_alive: "5m" } } : op.body);
    }
    if (op.kind === "close") {
      await fetch(`${sim.url}/_pit`, { method: "DELETE", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: pit }) });
    }
  }
  const elapsed = performance.now() - t0;
  if (searchAfterFromCursor && !ops.some((o) => o.kind === "close")) {
    await fetch(`${sim.url}/_pit`, { method: "DELETE", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ id: pit }) });
  }
  return elapsed;
}

/** Writes 20 marked lines (no explicit refresh: the store's 1 s refresh applies) and times each until its push. */
type TailFigures = { delays: number[]; missed: number; summary: string };

async function measureTail(url: string, source: LogSource, target: Service, rand: () => number): Promise<TailFigures> {
  const logs = createLogs({ sources: { production: source } });
  const delays: number[] = [];
  const waiting = new Map<string, number>();
  const sub = logs.tail(
    { service: { namespace: target.namespace, label: target.name }, environment: "production", q: "tailmarker" },
    {
      onLines: (batch) => {
        for (const line of batch.lines) {
          const marker = /tailmarker-(\d+)/.exec(line.message)?.[1];
          const written = marker ? waiting.get(marker) : undefined;
          if (written !== undefined) {
            delays.push(performance.now() - written);
            waiting.delete(marker!);
          }
        }
      },
      onError: (p) => log(`tail error: ${p.message}`),
    },
  );
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 20; i++) {
    const record = { ...recordAt(rand, Date.now(), target), line: `${new Date().toISOString()} INFO  [${target.name}] tailmarker-${i}` };
    waiting.set(String(i), performance.now());
    await fetch(`${url}/_bulk`, { method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: bulkBody([fluentdDocument(record)]) });
    await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 400)));
  }
  const deadline = Date.now() + 8000;
  while (waiting.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  sub.unsubscribe();
  logs.stop();
  const summary =
    `p50 ${ms(percentile(delays, 50))} ms p95 ${ms(percentile(delays, 95))} ms max ${ms(Math.max(...delays))} ms` +
    ` (${delays.length}/20 lines arrived; 1 s refresh + ${TAIL_INTERVAL_MS} ms poll)`;
  return { delays, missed: waiting.size, summary };
}

/** 100 viewers of one query for 10 s: how many searches the shared poll makes per interval. */
async function measureViewers(source: LogSource, target: Service): Promise<{ perInterval: number; summary: string }> {
  const counted = counting(source);
  const viewers = createLogs({ sources: { production: counted } });
  const subs = Array.from({ length: 100 }, () =>
    viewers.tail(
      { service: { namespace: target.namespace, label: target.name }, environment: "production" },
      { onLines: () => undefined, onError: () => undefined },
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  const before = counted.searches;
  const seconds = 10;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const polls = counted.searches - before;
  for (const s of subs) s.unsubscribe();
  viewers.stop();
  const perInterval = polls / ((seconds * 1000) / TAIL_INTERVAL_MS);
  return { perInterval, summary: `${polls} searches in ${seconds} s (${ms(perInterval)} per ${TAIL_INTERVAL_MS} ms interval; polls never overlap)` };
}

async function main(): Promise<void> {
  const now = Date.now();
  const sim = await startStore();
  const real = new ElasticsearchLogSource({
    environment: "production",
    flavour: "elasticsearch8",
    url: sim.url,
    indexPattern: "logstash-*",
    timeoutMs: 30_000,
  });
  const figures: Record<string, string> = {};
  try {
    const loaded = await load(sim, now);
    figures.lines = String(loaded);
    figures.services = String(SERVICES);
    const source = recording(real);
    const logs = createLogs({ sources: { production: source } });
    const rand = mulberry(11);
    const first: number[] = [];
    const firstOwn: number[] = [];
    const next: number[] = [];
    const nextOwn: number[] = [];
    const context: number[] = [];
    const contextOwn: number[] = [];
    let lines = 0;
    const outside: Record<string, number[]> = { first_page: [], next_page: [], context: [] };
    /** Fastest of REPEATS runs per side, so a garbage-collection pause in either process does not decide a sample. */
    const measure = async (name: string, run: () => Promise<void>, sink: number[], ownSink: number[], fromCursor: boolean) => {
      let best = Number.POSITIVE_INFINITY;
      let bestOwn = Number.POSITIVE_INFINITY;
      let bestOutside = Number.POSITIVE_INFINITY;
      for (let r = 0; r < REPEATS; r++) {
        source.ops.length = 0;
        const waitedBefore = source.waited();
        const t0 = performance.now();
        await run();
        const took = performance.now() - t0;
        best = Math.min(best, took);
        bestOutside = Math.min(bestOutside, took - (source.waited() - waitedBefore));
        bestOwn = Math.min(bestOwn, await replay(sim, [...source.ops], fromCursor));
      }
      sink.push(best);
      ownSink.push(bestOwn);
      outside[name]!.push(bestOutside);
    };
    for (let i = 0; i < SAMPLES; i++) {
      const s = services[Math.floor(rand() * SERVICES)]!;
      const to = now - Math.floor(rand() * (HOURS - 0.25) * 3_600_000);
      const input = { service: { namespace: s.namespace, label: s.name }, environment: "production", from: to - 15 * 60_000, to, limit: 200 };
      let page = await logs.serviceLogs(input);
      await measure(
        "first_page",
        async () => {
          page = await logs.serviceLogs(input);
          if (page.errors.length) throw new Error(JSON.stringify(page.errors));
        },
        first,
        firstOwn,
        false,
      );
      lines += page.lines.length;
      const cursor = page.nextCursor;
      if (cursor) {
        await measure(
          "next_page",
          async () => {
            const second = await logs.serviceLogs({ ...input, cursor });
            if (second.errors.length) throw new Error(JSON.stringify(second.errors));
          },
          next,
          nextOwn,
          true,
        );
      }
      const anchor = page.lines[Math.floor(page.lines.length / 2)];
      if (anchor) {
        await measure(
          "context",
          async () => {
            const around = await logs.lineContext({ service: input.service, environment: "production", id: anchor.id, size: 10 });
            if (around.errors.length) throw new Error(JSON.stringify(around.errors));
          },
          context,
          contextOwn,
          false,
        );
      }
      if ((i + 1) % 5 === 0) log(`${i + 1}/${SAMPLES} samples`);
    }
    // The machine's floor: a request the store answers without work (`GET /`), through plain fetch and through the
    // client Slipway uses; what no change in Slipway or the store can go below.
    const floor: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await (await fetch(`${sim.url}/`)).json();
      floor.push(performance.now() - t0);
    }
    log(`floor (GET / on the store, plain fetch): p50 ${ms(percentile(floor, 50))} ms p95 ${ms(percentile(floor, 95))} ms`);
    figures.floor_p95_ms = ms(percentile(floor, 95));
    const report = (name: string, slipway: number[], own: number[]) => {
      const added = slipway.map((v, i) => v - (own[i] ?? 0));
      log(
        `${name}: Slipway p50 ${ms(percentile(slipway, 50))} ms p95 ${ms(percentile(slipway, 95))} ms; store alone p50 ${ms(percentile(own, 50))} ms` +
          ` p95 ${ms(percentile(own, 95))} ms; added by Slipway p50 ${ms(percentile(added, 50))} ms` +
          ` p95 ${ms(percentile(added, 95))} ms (${slipway.length} samples)`,
      );
      figures[`${name}_p95_ms`] = ms(percentile(slipway, 95));
      figures[`${name}_store_p95_ms`] = ms(percentile(own, 95));
      figures[`${name}_added_p95_ms`] = ms(percentile(added, 95));
      figures[`${name}_added_median_ms`] = ms(percentile(added, 50));
      const mine = outside[name] ?? [];
      log(`${name}: Slipway's own time outside store calls p50 ${ms(percentile(mine, 50))} ms p95 ${ms(percentile(mine, 95))} ms`);
      figures[`${name}_outside_store_p95_ms`] = ms(percentile(mine, 95));
    };
    log(`first pages returned ${lines} lines in all (${ms(lines / SAMPLES)} per page)`);
    report("first_page", first, firstOwn);
    report("next_page", next, nextOwn);
    report("context", context, contextOwn);

    // Live tail: against the loaded store, and against a small one, to tell the store's share of the delay from the
    // refresh and the poll's.
    const target = services[42]!;
    const big = await measureTail(sim.url, real, target, rand);
    log(`live tail on the loaded store, write -> push: ${big.summary}`);
    const small = await startEsSim({ flavour: "elasticsearch8" });
    const smallSource = new ElasticsearchLogSource({ environment: "production", flavour: "elasticsearch8", url: small.url, indexPattern: "logstash-*" });
    const light = await measureTail(small.url, smallSource, target, rand);
    await smallSource.stop();
    await small.stop();
    log(`live tail on a lightly loaded store, write -> push: ${light.summary}`);
    figures.tail_delay_p95_ms = ms(percentile(big.delays, 95));
    figures.tail_delay_light_store_p95_ms = ms(percentile(light.delays, 95));
    figures.tail_lines_missed = String(big.missed + light.missed);

    // 100 viewers of one query: searches per interval, counted at the source; on both stores.
    const crowdBig = await measureViewers(real, target);
    log(`100 viewers tailing one query on the loaded store: ${crowdBig.summary}`);
    const small2 = await startEsSim({ flavour: "elasticsearch8" });
    const small2Source = new ElasticsearchLogSource({ environment: "production", flavour: "elasticsearch8", url: small2.url, indexPattern: "logstash-*" });
    const crowdLight = await measureViewers(small2Source, target);
    await small2Source.stop();
    await small2.stop();
    log(`100 viewers tailing one query on a lightly loaded store: ${crowdLight.summary}`);
    figures.polls_per_interval_100_viewers = ms(crowdLight.perInterval);
    figures.polls_per_interval_100_viewers_loaded_store = ms(crowdBig.perInterval);

    const met =
      Number(figures.first_page_added_median_ms) <= 50 &&
      Number(figures.next_page_added_median_ms) <= 50 &&
      Number(figures.context_added_median_ms) <= 50 &&
      Number(figures.first_page_outside_store_p95_ms) <= 50 &&
      Number(figures.next_page_outside_store_p95_ms) <= 50 &&
      Number(figures.context_outside_store_p95_ms) <= 50 &&
      Number(figures.tail_delay_light_store_p95_ms) <= 2000 &&
      figures.tail_lines_missed === "0" &&
      Number(figures.polls_per_interval_100_viewers) <= 1.1;
    process.stdout.write(
      `bench:logs ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")} targets_met=${met}\n`,
    );
  } finally {
    await real.stop();
    await sim.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:logs failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
