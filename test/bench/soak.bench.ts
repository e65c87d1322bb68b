/**
 * `npm run bench:soak [-- --duration 60s]`: two Slipway processes (replicas) on one scratch Postgres database, as
 * two pods of the Deployment, against two Kubernetes API simulators (staging and production) running the demo's
 * workloads, under a realistic mix for the given duration (default 10 minutes):
 *   - browsing, 80% or more of the requests: catalogue, search, service, team and teams pages, and the API reads
 *     behind them (service list and search, a service, its runtime, a team, production rollouts), arriving at
 *     random at BENCH_RATE per second whether or not earlier ones were answered, each timed from when it was due
 *     (no coordinated omission), sent to either replica at random;
 *   - live views: BENCH_STREAMS runtime streams (/api/v1/services/{name}/runtime/stream) open for the whole run,
 *     spread over both replicas, and one rollout stream per release;
 *   - delivery, every BENCH_RELEASE_EVERY seconds: a release registered by CI (team token) through one replica, a
 *     production rollout requested by one person through the other, approved by another person (four-eyes), and
 *     the time until the rollout's stream on the first replica shows it succeeded.
 * Prints per route its throughput and p50/p95/p99, the errors (target 0), every replica's resident memory sampled
 * from its /metrics port over the run with its growth after warm-up (target flat), and at the end the handles and
 * event streams each replica still has open once the clients have gone. Then the summary line
 *   bench:soak duration_s=X requests=N rps=R errors=E rss_growth_mb=a:+x,b:+y open_streams_end=S
 * where rss_growth_mb is the growth of the floor resident memory returns to after collections (first half of the
 * run after warm-up against the second), not end minus start, which a collection's swing would decide.
 * Exits non-zero when anything failed. Loopback only; it stops by itself and drops its database.
 *
 * Options: --duration 60s | 10m | 600 (seconds; or BENCH_DURATION), and in the environment
 *   BENCH_RATE (20)            browsing requests per second, over both replicas
 *   BENCH_STREAMS (6)          runtime streams open throughout
 *   BENCH_RELEASE_EVERY (15)   seconds between release cycles (register, request, approve, watch it succeed)
 *   BENCH_SAMPLE_EVERY (5)     seconds between /metrics samples of each replica
 *   BENCH_WARMUP               seconds before memory counts as warm (default a fifth of the run, 10 to 120 s)
 *   SLIPWAY_BENCH_POSTGRES_URL the admin connection (postgres://postgres@127.0.0.1:5432/postgres)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "../../server/cli/build-if-stale";
import { demoComponents, demoNamespaceOwners, demoWorkloads } from "../../server/demo/demo-clusters";
import { startKubeSim, type KubeSim } from "../../server/demo/kube-sim";
import { openDatabase, type Database } from "../../server/shared/db";
import { sessionFor, tokenFor, type Caller } from "../fixtures/api";
import { e2eDistDir, freePort, startSlipway, type RunningSlipway } from "../fixtures/slipway-server";
import { openEventStream } from "../integration/replicas/replica-harness";
import { percentile, picker, runPaced, type LoadResult, type Target } from "./lib/load";
import { growthAfterWarmup, scrapeReplica, startSampling, type ReplicaSample } from "./lib/replica-stats";
import { createScratchDb, type ScratchDb } from "./lib/scratch-db";

import { intSetting as int } from "./lib/env";

const env = process.env;

/** "60s", "10m", "1h" or plain seconds; at least 20 s (warm-up and a few samples), at most 4 h. */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`--duration must look like 60s, 10m or 600, not "${text}"`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  if (seconds < 20 || seconds > 4 * 3600) throw new Error(`--duration must be between 20 s and 4 h, not ${seconds} s`);
  return Math.round(seconds);
}
const durationArg = (() => {
  const i = process.argv.indexOf("--duration");
  if (i >= 0) return process.argv[i + 1] ?? "";
  return process.argv.find((a) => a.startsWith("--duration="))?.slice("--duration=".length);
})();
const durationS = parseDuration(durationArg ?? env.BENCH_DURATION ?? "10m");
const rate = int("BENCH_RATE", 20);
const streamCount = int("BENCH_STREAMS", 6);
const releaseEveryS = int("BENCH_RELEASE_EVERY", 15);
const sampleEveryS = int("BENCH_SAMPLE_EVERY", 5);
const warmupS = int("BENCH_WARMUP", Math.min(120, Math.max(10, Math.round(durationS / 5))));

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);
const enc = encodeURIComponent;
const registry = "registry.harbourbank.example";
// Squad cards: Amara requests, Tom (an approver for cards) approves; its Deployments in namespace cards take releases.
const requesterName = "amara.okafor";
const approverName = "tom.hughes";
const releaseTeam = "cards";

// ---------------------------------------------------------------------------------------------------------------
// Cleanup on every way out

type Replica = { name: "a" | "b"; server: RunningSlipway; metricsUrl: string };
let scratch: ScratchDb | undefined;
let database: Database | undefined;
let configDir: string | undefined;
const sims: KubeSim[] = [];
const replicas: Replica[] = [];
const openStreams = new Set<{ close(): void }>();
let cleaning: Promise<void> | undefined;

async function stopReplica(r: Replica): Promise<void> {
  // SIGTERM and the replica's own grace period; a replica that does not leave within 20 s is killed.
  const timer = setTimeout(() => r.server.process.kill("SIGKILL"), 20_000);
  await r.server.stop().finally(() => clearTimeout(timer));
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const s of openStreams) s.close();
    await Promise.all(replicas.map((r) => stopReplica(r).catch((e) => log(`soak: stopping replica ${r.name} failed: ${e}`))));
    await database?.close().catch(() => undefined);
    await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
    if (scratch) await scratch.drop().catch((e) => log(`soak: dropping ${scratch!.name} failed: ${e}`));
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`soak: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Bounded in time whatever happens: start-up, the run, and a generous margin for the end.
const hardStop = setTimeout(
  () => {
    log("soak: still running long after its duration; stopping");
    void cleanup().finally(() => process.exit(2));
  },
  (durationS + 900) * 1000,
);
hardStop.unref();

// ---------------------------------------------------------------------------------------------------------------
// The parts

const cookieOf = (caller: Caller) => (caller.kind === "session" ? `slipway_session=${caller.cookie}; slipway_csrf=${caller.csrf}` : "");

async function send(origin: string, caller: Caller, method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (caller.kind === "session") {
    headers.cookie = cookieOf(caller);
    headers["x-csrf-token"] = caller.csrf;
  }
  if (caller.kind === "token") headers.authorization = `Bearer ${caller.token}`;
  const res = await fetch(`${origin}${url}`, { method, headers, signal: AbortSignal.timeout(30_000), ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text: text.slice(0, 300) };
  }
  return { status: res.status, body: parsed };
}

async function startClusters(components: ReturnType<typeof demoComponents>): Promise<{ staging: KubeSim; production: KubeSim }> {
  const [staging, production] = await Promise.all([
    startKubeSim({ clock: "real", clusterName: "staging", podReadyDelayMs: 1000 }),
    startKubeSim({ clock: "real", clusterName: "production", nodes: 6, podReadyDelayMs: 1000 }),
  ]);
  sims.push(staging, production);
  await Promise.all([staging.seedWorkloads(demoWorkloads(components, "staging")), production.seedWorkloads(demoWorkloads(components, "production"))]);
  return { staging, production };
}

/** The config file both replicas read (JSON is YAML): the two simulators, staging deploys itself, production asks one approver. */
function writeConfig(clusters: { staging: KubeSim; production: KubeSim }, components: ReturnType<typeof demoComponents>): string {
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-soak-"));
  const file = path.join(configDir, "slipway.config.yaml");
  const connection = (sim: KubeSim) => ({ server: sim.url, token: sim.adminToken, insecureSkipTlsVerify: true });
  const config = {
    environments: [
      { name: "staging", policy: "auto" },
      { name: "production", production: true, approvals: { default: 1 } },
    ],
    namespaceOwners: demoNamespaceOwners(components),
    clusters: [
      { name: "staging", environment: "staging", connection: connection(clusters.staging) },
      { name: "production", environment: "production", connection: connection(clusters.production) },
    ],
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

async function startReplica(name: "a" | "b", databaseUrl: string, configFile: string): Promise<Replica> {
  const metricsPort = await freePort();
  const server = await startSlipway({
    DATABASE_URL: databaseUrl,
    SLIPWAY_DEMO: "on",
    SLIPWAY_CONFIG: configFile,
    SLIPWAY_DIST_DIR: e2eDistDir,
    SLIPWAY_METRICS_PORT: String(metricsPort),
    SLIPWAY_METRICS_HOST: "127.0.0.1",
  });
  const replica = { name, server, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  replicas.push(replica);
  return replica;
}

// ---------------------------------------------------------------------------------------------------------------
// Browsing: what people look at, as pages and as the API reads behind them

function browsingGroups(origins: string[], services: string[], teams: string[]): Array<{ weight: number; targets: Target[] }> {
  const words = [...new Set(services.flatMap((s) => s.split("-")).filter((w) => w.length >= 3))].slice(0, 30);
  const group = (weight: number, label: string, paths: string[]) => ({
    weight,
    targets: origins.flatMap((origin) => paths.map((p) => ({ label, path: p, origin }))),
  });
  return [
    group(8, "page /", ["/", "/?sort=updated", "/?tier=1", "/?lifecycle=production"]),
    group(
      6,
      "page /?q=",
      words.map((w) => `/?q=${enc(w)}`),
    ),
    group(
      10,
      "page /services/[name]",
      services.map((s) => `/services/${enc(s)}`),
    ),
    group(
      5,
      "page /teams/[name]",
      teams.map((t) => `/teams/${enc(t)}`),
    ),
    group(3, "page /teams", ["/teams"]),
    group(12, "GET /api/v1/services", ["/api/v1/services?limit=50", "/api/v1/services?limit=50&sort=updated", "/api/v1/services?limit=50&tier=1"]),
    group(
      10,
      "GET /api/v1/services?q=",
      words.map((w) => `/api/v1/services?limit=50&q=${enc(w)}`),
    ),
    group(
      14,
      "GET /api/v1/services/[name]",
      services.map((s) => `/api/v1/services/${enc(s)}`),
    ),
    group(
      14,
      "GET /api/v1/services/[name]/runtime",
      services.map((s) => `/api/v1/services/${enc(s)}/runtime`),
    ),
    group(
      8,
      "GET /api/v1/teams/[name]",
      teams.map((t) => `/api/v1/teams/${enc(t)}`),
    ),
    group(5, "GET /api/v1/rollouts", ["/api/v1/rollouts?environment=production", "/api/v1/rollouts?environment=staging"]),
    group(5, "GET /api/v1/services/facets", ["/api/v1/services/facets"]),
  ];
}

/** Every kind of page and read answers 200 on both replicas before the clock starts (and its code is loaded). */
async function checkBrowsing(groups: Array<{ targets: Target[] }>, cookie: string): Promise<void> {
  for (const g of groups) {
    for (const origin of new Set(g.targets.map((t) => t.origin))) {
      const t = g.targets.find((x) => x.origin === origin)!;
      const res = await fetch(`${t.origin}${t.path}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${t.origin}${t.path} answered ${res.status}: ${body.slice(0, 300)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Live views: runtime streams open throughout

type RuntimeStream = { replica: string; service: string; events: () => number; endedEarly: () => boolean; close(): void };

async function openRuntimeStreams(services: string[], cookie: string): Promise<RuntimeStream[]> {
  const streams: RuntimeStream[] = [];
  for (let i = 0; i < streamCount; i++) {
    const replica = replicas[i % replicas.length]!;
    const service = services[i % services.length]!;
    const stream = await openEventStream(`${replica.server.url}/api/v1/services/${enc(service)}/runtime/stream`, cookie);
    let closing = false;
    let ended = false;
    void stream.ended.then(() => (ended = !closing));
    const handle = {
      replica: replica.name,
      service,
      events: () => stream.events.length,
      endedEarly: () => ended,
      close() {
        closing = true;
        stream.close();
        openStreams.delete(handle);
      },
    };
    openStreams.add(handle);
    streams.push(handle);
  }
  return streams;
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery: release, production request, approval by someone else, the rollout seen succeeding on the other replica

type Callers = { ci: Caller; requester: Caller & { kind: "session" }; approver: Caller };
type Delivery = { samples: Map<string, number[]>; cycles: number; succeeded: number; late: number; failures: string[] };

async function deliveryCycles(services: string[], callers: Callers, endAt: number): Promise<Delivery> {
  const result: Delivery = { samples: new Map(), cycles: 0, succeeded: 0, late: 0, failures: [] };
  const record = (label: string, ms: number) => {
    let list = result.samples.get(label);
    if (!list) result.samples.set(label, (list = []));
    list.push(ms);
  };
  const fail = (what: string) => {
    if (result.failures.length < 20) result.failures.push(what);
  };
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      record(label, performance.now() - started);
    }
  };

  let due = performance.now() + Math.min(5_000, (releaseEveryS * 1000) / 2);
  for (let cycle = 0; due < endAt - 5_000; cycle++, due += releaseEveryS * 1000) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else result.late++;
    result.cycles++;
    const service = services[cycle % services.length]!;
    const version = `9.${cycle}.0`;
    // Registered and watched through one replica, requested and approved through the other.
    const [here, there] = cycle % 2 ? [replicas[1]!, replicas[0]!] : [replicas[0]!, replicas[1]!];
    try {
      const registered = await timed("POST /api/v1/services/[name]/releases", () =>
        send(here.server.url, callers.ci, "POST", `/api/v1/services/${enc(service)}/releases`, {
          version,
          image: `${registry}/${service}:${version}`,
          commitSha: (0xfeed0000 + cycle).toString(16),
        }),
      );
      if (registered.status !== 201) throw new Error(`release ${service} ${version}: ${registered.status} ${JSON.stringify(registered.body).slice(0, 300)}`);
      const requested = await timed("POST /api/v1/rollouts", () =>
        send(there.server.url, callers.requester, "POST", "/api/v1/rollouts", { service, environment: "production", version, reason: "soak" }),
      );
      if (requested.status !== 201) throw new Error(`request ${service} ${version}: ${requested.status} ${JSON.stringify(requested.body).slice(0, 300)}`);
      const id = requested.body.id as string;
      const stream = await openEventStream(`${here.server.url}/api/v1/rollouts/${id}/stream`, cookieOf(callers.requester));
      openStreams.add(stream);
      try {
        await stream.waitFor((e) => e.event === "rollout");
        const approved = await timed("POST /api/v1/rollouts/[id]/approve", () =>
          send(there.server.url, callers.approver, "POST", `/api/v1/rollouts/${id}/approve`, { comment: "soak" }),
        );
        if (approved.status !== 200) throw new Error(`approve ${id}: ${approved.status} ${JSON.stringify(approved.body).slice(0, 300)}`);
        const sent = performance.now();
        const stateOf = (data: unknown) => (data as { rollout?: { state?: string } }).rollout?.state ?? "";
        const done = await stream.waitFor(
          (e) => e.event === "rollout" && ["succeeded", "failed", "rejected", "cancelled", "expired", "superseded", "rolled_back"].includes(stateOf(e.data)),
          120_000,
        );
        record("approve -> succeeded (stream on the other replica)", done.at - sent);
        if (stateOf(done.data) !== "succeeded") throw new Error(`rollout ${id} of ${service} ${version} ended ${stateOf(done.data)}`);
        result.succeeded++;
      } finally {
        stream.close();
        openStreams.delete(stream);
      }
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

const waitUntil = async (what: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
};

const signed = (x: number) => (Number.isNaN(x) ? "NaN" : `${x >= 0 ? "+" : ""}${x}`);

async function main(): Promise<void> {
  log(`soak: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2))}, duration ${durationS} s, warm-up ${warmupS} s`);
  buildIfStale(e2eDistDir, log);

  scratch = await createScratchDb();
  log(`soak: scratch database ${scratch.name}`);
  const components = demoComponents();
  const clusters = await startClusters(components);
  const configFile = writeConfig(clusters, components);
  // One after the other: the first migrates and seeds the demo, the second finds it done.
  const t0 = performance.now();
  await startReplica("a", scratch.url, configFile);
  await startReplica("b", scratch.url, configFile);
  log(`soak: two replicas serving in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${replicas.map((r) => `${r.name} ${r.server.url}`).join(", ")}`);

  database = await openDatabase({ databaseUrl: scratch.url });
  const people = await database.prisma.person.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 12 });
  const browsers = await Promise.all(people.map((p) => sessionFor(database!, p.name)));
  const cookies = browsers.map((b) => `slipway_session=${b.cookie}`);
  const callers: Callers = {
    ci: await tokenFor(database, { team: releaseTeam }, ["releases:write"]),
    requester: await sessionFor(database, requesterName),
    approver: await sessionFor(database, approverName),
  };
  const teams = (await database.prisma.team.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((t) => t.name);
  const serviceNames = components.map((c) => c.name);
  // The squad's plain Deployments (the Argo Rollouts among them pause for a person at each canary step).
  const releasable = components
    .filter((c) => c.team === releaseTeam && c.annotations?.["backstage.io/kubernetes-namespace"] === releaseTeam)
    .map((c) => c.name)
    .filter((n) => n !== "card-processing");

  const groups = browsingGroups(
    replicas.map((r) => r.server.url),
    serviceNames,
    teams,
  );
  await checkBrowsing(groups, cookies[0]!);
  log(`soak: every page and read answers 200 on both replicas; ${releasable.length} services take releases (${releasable.join(", ")})`);

  // The clock starts: samples, streams, browsing and delivery, side by side.
  const startedAt = performance.now();
  const endAt = startedAt + durationS * 1000;
  const before = await Promise.all(replicas.map((r) => scrapeReplica(r.metricsUrl, startedAt)));
  const sampling = startSampling(replicas, sampleEveryS * 1000, startedAt);
  const streams = await openRuntimeStreams(serviceNames, cookies[0]!);
  const progress = setInterval(() => log(`soak: ${Math.round((performance.now() - startedAt) / 1000)} s of ${durationS} s`), 30_000);
  const [browsing, delivery] = await Promise.all([
    runPaced({ name: "browsing", url: replicas[0]!.server.url, pick: picker(groups), cookies, rate, durationS }),
    deliveryCycles(releasable, callers, endAt),
  ]);
  clearInterval(progress);
  const elapsedS = (performance.now() - startedAt) / 1000;
  await sampling.stop();

  // The end: what the streams saw, then every client leaves and the replicas must let go of what they held.
  const streamsEndedEarly = streams.filter((s) => s.endedEarly());
  const streamEvents = streams.map((s) => s.events());
  const atEnd = await Promise.all(replicas.map((r) => scrapeReplica(r.metricsUrl, startedAt)));
  for (const s of streams) s.close();
  const released = await waitUntil(async () => {
    const now = await Promise.all(replicas.map((r) => scrapeReplica(r.metricsUrl, startedAt)));
    return now.every((s) => s.streams === 0);
  }, 10_000);
  const after = await Promise.all(replicas.map((r) => scrapeReplica(r.metricsUrl, startedAt)));

  // --- figures ---
  const round = (x: number) => Math.round(x * 10) / 10;
  const deliveryRequests = [...delivery.samples.entries()].filter(([label]) => label.startsWith("POST")).reduce((n, [, list]) => n + list.length, 0);
  const totalRequests = browsing.requests + deliveryRequests + streams.length + delivery.cycles;
  const errors =
    browsing.non2xx + browsing.errors + browsing.timeouts + delivery.failures.length + streamsEndedEarly.length + sampling.failures() + (released ? 0 : 1);
  out(
    `soak: ${round(elapsedS)} s, 2 replicas, ${rate} browsing requests/s offered, ${streams.length} runtime streams, ` +
      `a release cycle every ${releaseEveryS} s; browsing share of requests ${Math.round((browsing.requests / totalRequests) * 100)}%; ` +
      `load average at the end ${os.loadavg().map((x) => x.toFixed(2))} on ${os.cpus().length} cores`,
  );
  for (const l of browsing.byLabel.sort((x, y) => x.label.localeCompare(y.label))) {
    out(`route="${l.label}" n=${l.n} rps=${round(l.n / durationS)} p50_ms=${l.p50} p95_ms=${l.p95} p99_ms=${l.p99}`);
  }
  out(
    `route="browsing, all" n=${browsing.requests} rps=${browsing.rps} p50_ms=${browsing.p50} p95_ms=${browsing.p95} p99_ms=${browsing.p99} ` +
      `max_ms=${browsing.max}`,
  );
  for (const [label, list] of delivery.samples) {
    const sorted = [...list].sort((x, y) => x - y);
    const p = (q: number) => round(percentile(sorted, q));
    out(`route="${label}" n=${list.length} p50_ms=${p(50)} p95_ms=${p(95)} p99_ms=${p(99)} max_ms=${round(sorted.at(-1) ?? NaN)}`);
  }
  out(
    `delivery: cycles=${delivery.cycles} succeeded=${delivery.succeeded} late_starts=${delivery.late} ` +
      `(each: release by CI token, production request by ${requesterName}, approval by ${approverName})`,
  );
  out(
    `streams: runtime=${streams.length} events_min=${Math.min(...streamEvents)} events_max=${Math.max(...streamEvents)} ` +
      `ended_early=${streamsEndedEarly.length} ` +
      `rollout_streams=${delivery.cycles}`,
  );

  const growth: string[] = [];
  for (const [i, r] of replicas.entries()) {
    const samples: ReplicaSample[] = sampling.samples.get(r.name) ?? [];
    const rss = growthAfterWarmup(samples, warmupS, (s) => s.rssMb);
    const heap = growthAfterWarmup(samples, warmupS, (s) => s.heapMb);
    const external = growthAfterWarmup(samples, warmupS, (s) => s.externalMb);
    growth.push(`${r.name}:${signed(rss.floorGrowthMb)}`);
    out(`replica=${r.name} rss_mb over time (s:MB) ${samples.map((s) => `${Math.round(s.atS)}:${s.rssMb}`).join(" ")}`);
    out(
      `replica=${r.name} requests_served=${atEnd[i]!.requests - before[i]!.requests} rss_start_mb=${before[i]!.rssMb} ` +
        `rss_after_warmup_mb=${rss.baseMb} rss_end_mb=${rss.endMb} rss_growth_mb=${signed(rss.growthMb)} rss_slope_mb_per_min=${signed(rss.slopeMbPerMin)} ` +
        `heap_after_warmup_mb=${heap.baseMb} heap_end_mb=${heap.endMb} heap_growth_mb=${signed(heap.growthMb)}`,
    );
    out(
      // The floor resident memory returns to after collections, first half of the run after warm-up against the second.
      `replica=${r.name} rss_floor_mb=${rss.floorFirstMb}->${rss.floorSecondMb} (${signed(rss.floorGrowthMb)}) rss_peak_mb=${rss.peakMb} ` +
        `heap_floor_mb=${heap.floorFirstMb}->${heap.floorSecondMb} (${signed(heap.floorGrowthMb)}) ` +
        `external_floor_mb=${external.floorFirstMb}->${external.floorSecondMb} (${signed(external.floorGrowthMb)})`,
    );
    out(
      // Handles grow while the first views of each namespace open the clusters' watches (a cache, kept); a leak keeps growing.
      `replica=${r.name} handles_before=${before[i]!.handles} handles_after_warmup=${samples.find((s) => s.atS >= warmupS)?.handles ?? NaN} ` +
        `handles_under_load=${atEnd[i]!.handles} handles_end=${after[i]!.handles} ` +
        `streams_open_under_load=${atEnd[i]!.streams} streams_open_end=${after[i]!.streams} db_pool_connections_end=${after[i]!.poolConnections}`,
    );
  }
  const failures = [
    ...browsing.failures,
    ...delivery.failures,
    ...streamsEndedEarly.map((s) => `the runtime stream of ${s.service} on replica ${s.replica} ended before the run did`),
    ...(sampling.failures() ? [`${sampling.failures()} /metrics scrapes failed`] : []),
    ...(released ? [] : ["a replica still counted open streams 10 s after every client left"]),
  ];
  for (const f of failures.slice(0, 20)) out(`error: ${f}`);
  out(
    `bench:soak duration_s=${durationS} requests=${totalRequests} rps=${round(totalRequests / elapsedS)} errors=${errors} ` +
      `rss_growth_mb=${growth.join(",")} open_streams_end=${after.reduce((n, s) => n + s.streams, 0)}`,
  );
  process.exitCode = errors ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    log(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const r of replicas) log(`soak: replica ${r.name}'s output:\n${r.server.log().slice(-3000)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    process.exit(process.exitCode ?? 0);
  });
