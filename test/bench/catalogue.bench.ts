/**
 * `npm run bench:catalogue`: seeds 100,000 services and 2,000 teams into a scratch Postgres database, starts the real
 * server on it, drives the list, search, faceted, facets, service-detail and team-detail endpoints with concurrent
 * load and prints one line per endpoint, then
 *   bench:catalogue services=100000 list_p95_ms=X search_p95_ms=Y detail_p95_ms=Z
 * Two runs per endpoint:
 *   1. latency at a set load (the target applies here): BENCH_RATE requests a second arriving at random intervals,
 *      as from many independent people, each timed from when it was due (a slow server is charged for the queue);
 *   2. capacity: BENCH_CONNECTIONS clients (autocannon) sending flat out; requests/s is the figure, and its p95 is
 *      mostly time spent queueing behind the other clients on 2 cores shared with the load generator.
 * Each endpoint line also gives the CPU the server process and its Postgres backends spent per request (from
 * /proc, net of what they burn idle), which depends far less than latency on how busy the rest of the machine is:
 * 2 cores serve at most 2000 / cpu_ms_per_req requests per second.
 * Requests carry the session cookie of one of 16 signed-in people, as the portal's own pages do.
 * Target: every p95 <= 50 ms on the 2-core machines. Exits non-zero only when requests fail (non-2xx, errors).
 *
 * Environment:
 *   BENCH_SERVICES (100000), BENCH_TEAMS (2000), BENCH_SEED (42)   the catalogue's size and its random seed
 *   BENCH_RATE (100)                      requests/s per endpoint for the latency run (the target applies to it)
 *   BENCH_CONNECTIONS (8)                 connections for the warm-up and the saturation run (capacity in requests/s)
 *   BENCH_SATURATION=0                    skip the saturation run
 *   BENCH_DURATION (10), BENCH_WARMUP (3) seconds per endpoint and run, and of warm-up before each latency run
 *   BENCH_ENDPOINTS (all)                 comma-separated subset of healthz,list,search,faceted,facets,detail,team
 *                                         (healthz, SELECT 1 without a session, is the floor: Next.js, Prisma, the machine)
 *   BENCH_KEEP_DB=1                       keep the scratch database (for EXPLAIN in psql) and print its URL
 *   BENCH_DATABASE_URL=postgres://…       benchmark an already seeded database (one kept with BENCH_KEEP_DB) as is
 *   BENCH_CPU_PROF=DIR                    the server writes a V8 CPU profile into DIR when it stops (open in Chrome DevTools)
 *   SLIPWAY_BENCH_POSTGRES_URL            the admin connection (postgres://postgres@127.0.0.1:5432/postgres)
 */
import os from "node:os";
import pg from "pg";
import { encodeCursor } from "../../server/catalogue/cursor";
import { picker, runLoad, runPaced, startCpuMeter, startServer, type LoadResult, type RunningServer, type Target } from "./lib/load";
import { createScratchDb, createSessionCookies, migrate, type ScratchDb } from "./lib/scratch-db";
import { readCatalogue, seedCatalogue, type CatalogueSample } from "./lib/seed-catalogue";

import { intSetting as int } from "./lib/env";

const env = process.env;
const services = int("BENCH_SERVICES", 100_000);
const teams = int("BENCH_TEAMS", 2_000);
const rate = int("BENCH_RATE", 100);
const connections = int("BENCH_CONNECTIONS", 8);
const saturation = env.BENCH_SATURATION !== "0";
const durationS = int("BENCH_DURATION", 10);
const warmupS = int("BENCH_WARMUP", 3);
const keepDb = env.BENCH_KEEP_DB === "1" || env.BENCH_KEEP_DB === "true";
const reuseUrl = env.BENCH_DATABASE_URL;
const allEndpoints = ["healthz", "list", "search", "faceted", "facets", "detail", "team"] as const;
type Endpoint = (typeof allEndpoints)[number];
const endpoints = (env.BENCH_ENDPOINTS ? env.BENCH_ENDPOINTS.split(",").map((s) => s.trim()) : [...allEndpoints]) as Endpoint[];
for (const e of endpoints) if (!allEndpoints.includes(e)) throw new Error(`BENCH_ENDPOINTS: unknown endpoint "${e}"`);
const targetMs = 50;

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(",");

// ---------------------------------------------------------------------------------------------------------------
// Cleanup on every way out

let server: RunningServer | undefined;
let scratch: ScratchDb | undefined;
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    if (server) await server.stop().catch((e) => log(`bench: stopping the server failed: ${e}`));
    if (scratch) {
      if (keepDb) log(`bench: kept the scratch database: ${scratch.url}`);
      else await scratch.drop().catch((e) => log(`bench: dropping ${scratch!.name} failed: ${e}`));
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`bench: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What each endpoint's load asks for

const rand = Math.random;
let cookies: string[] = [];
const get = (url: string) => fetch(url, { headers: { cookie: pick(cookies) } });
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const enc = encodeURIComponent;

async function followCursors(baseUrl: string, path: string, pages: number): Promise<string[]> {
  const paths: string[] = [];
  let current = path;
  for (let i = 0; i < pages; i++) {
    const res = await get(baseUrl + current);
    if (res.status !== 200) throw new Error(`GET ${current} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { nextCursor: string | null };
    if (!body.nextCursor) break;
    current = `${path}&cursor=${enc(body.nextCursor)}`;
    paths.push(current);
  }
  return paths;
}

type Pools = Record<Endpoint, Array<{ weight: number; targets: Target[] }>>;

async function buildPools(c: CatalogueSample, baseUrl: string): Promise<Pools> {
  const t = (label: string, paths: string[]): Target[] => paths.map((path) => ({ label, path }));
  const list = "/api/v1/services?limit=50";

  // list: first pages of every sort, pages 2-6 reached by following nextCursor, and keyset cursors deep in the list
  const sorts = ["", "&sort=updated", "&sort=-name", "&sort=tier"];
  const firstPages = sorts.map((s) => list + s);
  const followed = (await Promise.all(firstPages.map((p) => followCursors(baseUrl, p, 5)))).flat();
  const deep = c.rows.flatMap((r) => [
    `${list}&cursor=${enc(encodeCursor([r.name]))}`,
    `${list}&sort=updated&cursor=${enc(encodeCursor([r.updatedAt.toISOString(), r.id]))}`,
    `${list}&sort=-name&cursor=${enc(encodeCursor([r.name]))}`,
    `${list}&sort=tier&cursor=${enc(encodeCursor([r.tier ?? 99, r.name]))}`,
  ]);

  // search: words of service names by how often they occur, prefixes, several words, misses
  const words = c.nameWords.filter((w) => w.word.length >= 3);
  const common = words.slice(0, 15).map((w) => w.word);
  const rare = words
    .filter((w) => w.count >= 2 && w.count <= 12)
    .slice(-30)
    .map((w) => w.word);
  const middling = words.filter((w) => w.count >= 100 && w.count <= 1500).map((w) => w.word);
  const twoLetter = [...new Set(words.slice(0, 60).map((w) => w.word.slice(0, 2)))];
  const partial = [
    ...new Set(
      words
        .slice(0, 80)
        .filter((w) => w.word.length >= 6)
        .map((w) => w.word.slice(0, 3 + Math.floor(rand() * 3))),
    ),
  ];
  const multi = Array.from({ length: 40 }, () => {
    const name = pick(c.serviceNames)
      .split("-")
      .filter((w) => /^[a-z]{2,}$/.test(w));
    return name.slice(0, 2 + Math.floor(rand() * Math.min(2, name.length - 1))).join(" ");
  }).filter((q) => q.includes(" "));
  const misses = ["zzyzx", "quantum teleport", "blockchainify", "nonexistent-service-xyz", "kubectl"];
  const q = (words: string[], extra = "") => words.map((w) => `${list}&q=${enc(w)}${extra}`);
  const searchWithFilters = [
    ...common.slice(0, 5).map((w) => `${list}&q=${enc(w)}&lifecycle=production`),
    ...common.slice(5, 10).map((w) => `${list}&q=${enc(w)}&tier=1`),
    ...middling.slice(0, 5).map((w) => `${list}&q=${enc(w)}&sort=name`),
  ];

  // faceted: single facets (team, tier, lifecycle, tag), combinations, other sorts
  const squads = c.squadNames;
  const topTags = c.tags.slice(0, 20).map((x) => x.tag);
  const allTags = c.tags.map((x) => x.tag);
  const teamPaths = Array.from({ length: 300 }, () => `${list}&team=${enc(pick(squads))}`);
  const singleFacet = [
    ...["1", "2", "3", "none"].map((x) => `${list}&tier=${x}`),
    ...["deprecated", "experimental"].map((x) => `${list}&lifecycle=${x}`),
    ...allTags.map((x) => `${list}&tag=${enc(x)}`),
  ];
  const combos = [
    ...Array.from({ length: 60 }, () => `${list}&team=${enc(pick(squads))}&tier=${pick(["1", "2", "3"])}`),
    ...Array.from({ length: 40 }, () => `${list}&team=${enc(pick(squads))},${enc(pick(squads))}`),
    ...Array.from({ length: 40 }, () => `${list}&tag=${enc(pick(topTags))},${enc(pick(topTags))}`),
    ...Array.from({ length: 40 }, () => `${list}&tag=${enc(pick(allTags))}&lifecycle=production`),
    `${list}&lifecycle=deprecated&tier=1`,
    `${list}&lifecycle=experimental&tier=2,3`,
    `${list}&tier=1&sort=updated`,
    `${list}&lifecycle=deprecated&sort=updated`,
    ...Array.from({ length: 20 }, () => `${list}&team=${enc(pick(squads))}&sort=updated`),
  ];

  // facets endpoint: unfiltered (counter table) and filtered (counted over the matches)
  const facets = "/api/v1/services/facets";
  const facetPaths = {
    unfiltered: [facets],
    single: [`${facets}?tier=1`, `${facets}?lifecycle=deprecated`, ...allTags.slice(0, 30).map((x) => `${facets}?tag=${enc(x)}`)],
    team: Array.from({ length: 100 }, () => `${facets}?team=${enc(pick(squads))}`),
    search: [...common.slice(0, 8), ...rare.slice(0, 8), ...middling.slice(0, 8)].map((w) => `${facets}?q=${enc(w)}`),
    combo: [`${facets}?tier=1&lifecycle=production`, `${facets}?lifecycle=deprecated&tier=2`, `${facets}?tag=${enc(topTags[0]!)}&tier=1`],
  };

  // detail: random services, a tenth of them platform services with hundreds of dependents
  const detailRandom = Array.from({ length: 3000 }, () => `/api/v1/services/${enc(pick(c.serviceNames))}`);
  const detailPlatform = c.platformServiceNames.map((n) => `/api/v1/services/${enc(n)}`);

  return {
    healthz: [{ weight: 1, targets: t("SELECT 1", ["/api/healthz"]) }],
    list: [
      { weight: 30, targets: t("first page", firstPages) },
      { weight: 30, targets: t("followed cursor", followed) },
      { weight: 40, targets: t("deep cursor", deep) },
    ],
    search: [
      { weight: 25, targets: t("common word", q(common)) },
      { weight: 15, targets: t("rare word", q(rare)) },
      { weight: 10, targets: t("middling word", q(middling)) },
      { weight: 10, targets: t("2-letter prefix", q(twoLetter)) },
      { weight: 10, targets: t("3-5 letter prefix", q(partial)) },
      { weight: 15, targets: t("multi-word", q(multi)) },
      { weight: 5, targets: t("miss", q(misses)) },
      { weight: 10, targets: t("with filter/sort", searchWithFilters) },
    ],
    faceted: [
      { weight: 30, targets: t("team", teamPaths) },
      { weight: 35, targets: t("tier/lifecycle/tag", singleFacet) },
      { weight: 35, targets: t("combination", combos) },
    ],
    facets: [
      { weight: 20, targets: t("unfiltered", facetPaths.unfiltered) },
      { weight: 25, targets: t("one facet", facetPaths.single) },
      { weight: 20, targets: t("team", facetPaths.team) },
      { weight: 20, targets: t("search", facetPaths.search) },
      { weight: 15, targets: t("combination", facetPaths.combo) },
    ],
    detail: [
      { weight: 90, targets: t("random service", detailRandom) },
      { weight: 10, targets: t("platform service", detailPlatform) },
    ],
    team: [
      {
        weight: 85,
        targets: t(
          "squad",
          c.squadNames.map((n) => `/api/v1/teams/${enc(n)}`),
        ),
      },
      {
        weight: 15,
        targets: t(
          "tribe/department",
          c.groupNames.map((n) => `/api/v1/teams/${enc(n)}`),
        ),
      },
    ],
  };
}

/** Every class of request answers 200 before any load runs (and the route code is loaded). */
async function checkPools(baseUrl: string, pools: Pools): Promise<void> {
  for (const endpoint of endpoints) {
    for (const group of pools[endpoint]) {
      for (const target of group.targets.slice(0, 5)) {
        const res = await get(baseUrl + target.path);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${target.path} answered ${res.status}: ${body.slice(0, 500)}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

function line(r: LoadResult): string {
  return (
    `endpoint=${r.name} p50_ms=${r.p50} p95_ms=${r.p95} p99_ms=${r.p99} max_ms=${r.max} rps=${r.rps} ` +
    `requests=${r.requests} non2xx=${r.non2xx} errors=${r.errors + r.timeouts}`
  );
}

async function main(): Promise<void> {
  const root = process.cwd();
  const started = performance.now();
  log(`bench: ${os.cpus().length} cores, load average ${load()}`);

  let url: string;
  let seedMs = 0;
  if (reuseUrl) {
    url = reuseUrl;
    log(`bench: using the already seeded database ${url}`);
  } else {
    scratch = await createScratchDb();
    url = scratch.url;
    log(`bench: scratch database ${scratch.name}`);
    const t0 = performance.now();
    await migrate(url);
    const migrateMs = performance.now() - t0;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const t1 = performance.now();
      const { timings } = await seedCatalogue(client, { services, teams, seed: int("BENCH_SEED", 42) });
      seedMs = performance.now() - t1;
      log(
        `bench: migrated in ${seconds(migrateMs)} s, seeded in ${seconds(seedMs)} s (${Object.entries(timings)
          .map(([k, v]) => `${k}=${seconds(v)}s`)
          .join(" ")})`,
      );
    } finally {
      await client.end();
    }
  }

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let catalogue: CatalogueSample;
  let serviceCount = 0;
  try {
    catalogue = await readCatalogue(client);
    const counts = await client.query<{ t: string; n: number }>(
      `SELECT 'services' t, count(*)::int n FROM service UNION ALL SELECT 'teams', count(*)::int FROM team
       UNION ALL SELECT 'people', count(*)::int FROM person UNION ALL SELECT 'memberships', count(*)::int FROM membership
       UNION ALL SELECT 'dependencies', count(*)::int FROM dependency`,
    );
    serviceCount = counts.rows.find((r) => r.t === "services")!.n;
    out(`catalogue ${counts.rows.map((r) => `${r.t}=${r.n}`).join(" ")}${seedMs ? ` seed_s=${seconds(seedMs)}` : ""}`);
  } finally {
    await client.end();
  }

  cookies = await createSessionCookies(url, 16);

  const t2 = performance.now();
  log("bench: starting the server (the first run builds the app into .next-bench)");
  server = await startServer({
    root,
    databaseUrl: url,
    distDir: ".next-bench",
    timeoutMs: int("BENCH_START_TIMEOUT", 900) * 1000,
    log,
    nodeArgs: env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${env.BENCH_CPU_PROF}`] : [],
  });
  log(`bench: server up at ${server.url} after ${seconds(performance.now() - t2)} s`);

  const pools = await buildPools(catalogue, server.url);
  await checkPools(server.url, pools);

  // What the server and its backends burn with no requests at all, subtracted from the per-request CPU below.
  const database = new URL(url).pathname.slice(1);
  const idleMeter = startCpuMeter(server.pid, database);
  await new Promise((r) => setTimeout(r, 3_000));
  const idle = idleMeter();
  const idlePerS = { server: idle.serverMs / 3, postgres: idle.postgresMs / 3 };
  out(`idle server_cpu_ms_per_s=${idlePerS.server.toFixed(1)} pg_cpu_ms_per_s=${idlePerS.postgres.toFixed(1)}`);

  const measured = async (endpoint: Endpoint, run: () => Promise<LoadResult>) => {
    const meter = startCpuMeter(server!.pid, database);
    const r = await run();
    const used = meter();
    const cpu = {
      server: Math.max(0, used.serverMs - idlePerS.server * r.durationS),
      postgres: Math.max(0, used.postgresMs - idlePerS.postgres * r.durationS),
    };
    const perRequest = (ms: number) => (r.requests ? (ms / r.requests).toFixed(1) : "NaN");
    for (const f of r.failures) log(`  FAILED ${endpoint}: ${f}`);
    return {
      r,
      cpu: `cpu_ms_per_req=${perRequest(cpu.server + cpu.postgres)} server_cpu_ms_per_req=${perRequest(cpu.server)} pg_cpu_ms_per_req=${perRequest(cpu.postgres)}`,
    };
  };

  // 1. Latency at a set load: requests arrive at `rate` per second at random intervals, as from many independent
  //    people, and each is timed from when it was due. This is what the target is about.
  out(`load=paced rate_per_s=${rate} duration_s=${durationS} warmup_s=${warmupS} target_p95_ms=${targetMs} loadavg=${load()}`);
  const results = new Map<Endpoint, LoadResult>();
  for (const endpoint of endpoints) {
    const pick = picker(pools[endpoint]);
    if (warmupS > 0) await runLoad({ name: endpoint, url: server.url, pick, cookies, connections, durationS: warmupS });
    const { r, cpu } = await measured(endpoint, () => runPaced({ name: endpoint, url: server!.url, pick, cookies, rate, durationS }));
    results.set(endpoint, r);
    out(`${line(r)} ${cpu}`);
    for (const b of r.byLabel) out(`  endpoint=${endpoint} class="${b.label}" p50_ms=${b.p50} p95_ms=${b.p95} p99_ms=${b.p99} requests=${b.n}`);
  }

  // 2. Capacity: `connections` clients each sending the next request the moment the last is answered, so the server
  //    (and, on one machine, the load generator) run flat out. Requests/s is the figure; latency here is mostly
  //    queueing behind the other connections' requests.
  const saturated = new Map<Endpoint, LoadResult>();
  if (saturation) {
    out(`load=saturation connections=${connections} duration_s=${durationS} pipelining=1 loadavg=${load()}`);
    for (const endpoint of endpoints) {
      const pick = picker(pools[endpoint]);
      const { r, cpu } = await measured(endpoint, () => runLoad({ name: endpoint, url: server!.url, pick, cookies, connections, durationS }));
      saturated.set(endpoint, r);
      out(`saturation ${line(r)} ${cpu}`);
    }
  }

  const all = [...results.values(), ...saturated.values()];
  const failed = all.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0 || r.requests === 0);
  const slow = [...results.values()].filter((r) => r.name !== "healthz" && !(r.p95 <= targetMs));
  const p95 = (e: Endpoint) => results.get(e)?.p95 ?? NaN;
  out(
    `target_met=${slow.length === 0} at rate_per_s=${rate}${slow.length ? ` over_target=${slow.map((r) => `${r.name}:${r.p95}`).join(",")}` : ""} loadavg=${load()} total_s=${seconds(performance.now() - started)}`,
  );
  if (saturation) out(`capacity connections=${connections} ${[...saturated.values()].map((r) => `${r.name}_rps=${r.rps}`).join(" ")}`);
  out(`bench:catalogue services=${serviceCount} list_p95_ms=${p95("list")} search_p95_ms=${p95("search")} detail_p95_ms=${p95("detail")}`);
  if (failed.length) {
    log(
      `\nbench: FAILED: requests did not all succeed: ${failed.map((r) => `${r.name} non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts}`).join("; ")}`,
    );
    process.exitCode = 1;
  }
}

main()
  .catch((error: unknown) => {
    log(`\nbench: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // pg pools and autocannon timers must not keep the process alive
    setTimeout(() => process.exit(), 200).unref();
  });
