/**
 * `npm run bench:delivery`: a squad page's delivery figures at 2,000 teams and 1,000,000 rollouts. Seeds a scratch
 * Postgres database (the catalogue bench's teams and services, then releases and rollouts over 180 days, set-based),
 * prints the plan of one squad's statement (EXPLAIN ANALYZE), then, for 30 and 90 days, calls the delivery module as
 * the squad page does, at BENCH_RATE calls a second arriving at random intervals, each timed from when it was due
 * (a slow answer is charged for the queue), and the floor the same way: `SELECT 1` through the same Prisma client.
 * Before that, the same one call at a time (serial30, serialFloor), and a tribe's figures one at a time.
 * Prints one line per run and a last summary line:
 *   bench:delivery rollouts=1000000 team30_p95_ms=X team90_p95_ms=Y floor_p95_ms=Z
 * Target: the catalogue's, every p95 <= 50 ms. The HTTP layer (Next.js, the session) adds what bench:catalogue's
 * `healthz` floor measures on top.
 *
 * Environment:
 *   BENCH_TEAMS (2000), BENCH_SERVICES (20000), BENCH_ROLLOUTS (1000000), BENCH_SEED (42)
 *   BENCH_RATE (100), BENCH_DURATION (10) seconds per run, BENCH_WARMUP (3)
 *   BENCH_KEEP_DB=1 keep the scratch database and print its URL; BENCH_DATABASE_URL=… benchmark a kept one as is
 */
import os from "node:os";
import pg from "pg";
import { getDeliveryFigures, type DeliveryWindow } from "../../server/delivery";
import { openDatabase } from "../../server/shared/db";
import { percentile } from "./lib/load";
import { createScratchDb, migrate, type ScratchDb } from "./lib/scratch-db";
import { seedCatalogue } from "./lib/seed-catalogue";

import { intSetting as int } from "./lib/env";

const env = process.env;
const teams = int("BENCH_TEAMS", 2_000);
const services = int("BENCH_SERVICES", 20_000);
const rollouts = int("BENCH_ROLLOUTS", 1_000_000);
const rate = int("BENCH_RATE", 100);
const durationS = int("BENCH_DURATION", 10);
const warmupS = int("BENCH_WARMUP", 3);
const keepDb = env.BENCH_KEEP_DB === "1";
const reuseUrl = env.BENCH_DATABASE_URL;
const targetMs = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Releases (two rollouts each) and rollouts spread over the last 180 days: half to production, 5% rollbacks, and of
 * the deploys 85% succeeded, 5% failed, 4% rolled back, the rest cancelled or superseded (never counted).
 */
async function seedHistory(client: pg.Client): Promise<void> {
  const perService = Math.max(1, Math.round(rollouts / 2 / services));
  await client.query("SELECT setseed(0.42)");
  // random() in the select list of a subquery: once per row (a LATERAL subquery that names no outer column runs once).
  await client.query(
    `INSERT INTO release (id, service_id, version, image, commit_sha, committed_at, registered_by, created_at)
     SELECT gen_random_uuid(), q.id, 'v' || q.k, 'r/x:' || q.k, md5(q.id::text || q.k), q.at - interval '2 hours', 'bench', q.at - interval '1 hour'
       FROM (SELECT s.id, k, now() - random() * interval '180 days' AS at
               FROM service s CROSS JOIN generate_series(1, $1::int) k WHERE s.kind = 'component') q`,
    [perService],
  );
  await client.query(
    `INSERT INTO rollout (id, service_id, environment, release_id, kind, state, requested_by_name, created_at, updated_at, started_at, finished_at)
     SELECT gen_random_uuid(), q.service_id, CASE WHEN q.i = 1 THEN 'staging' ELSE 'production' END, q.id,
            CASE WHEN q.x < 0.05 THEN 'rollback' ELSE 'deploy' END,
            CASE WHEN q.y < 0.85 THEN 'succeeded' WHEN q.y < 0.90 THEN 'failed' WHEN q.y < 0.94 THEN 'rolled_back'
                 WHEN q.y < 0.97 THEN 'superseded' ELSE 'cancelled' END,
            'bench', q.f - interval '10 minutes', q.f, q.f - interval '3 minutes', q.f
       FROM (SELECT r.id, r.service_id, i, random() AS x, random() AS y,
                    LEAST(now(), r.created_at + random() * interval '3 days' + (i - 1) * interval '6 hours') AS f
               FROM release r CROSS JOIN generate_series(1, 2) i) q`,
  );
  await client.query("ANALYZE release; ANALYZE rollout; ANALYZE service; ANALYZE team;");
}

type Run = { p50: number; p95: number; p99: number; max: number; count: number; failures: number };

async function serial(call: () => Promise<unknown>, count: number): Promise<Run> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), max: samples.at(-1) ?? 0, count, failures: 0 };
}

async function paced(call: () => Promise<unknown>, seconds: number): Promise<Run> {
  const samples: number[] = [];
  let failures = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const end = start + seconds * 1000;
  let due = start;
  while (true) {
    due += (-Math.log(1 - Math.random()) / rate) * 1000;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const at = due;
    const done = call().then(
      () => void samples.push(performance.now() - at),
      (error: unknown) => {
        failures++;
        samples.push(performance.now() - at);
        if (failures === 1) log(`bench: a call failed: ${(error as Error).message}`);
      },
    );
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }
  await Promise.all(inFlight);
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: samples.at(-1) ?? 0,
    count: samples.length,
    failures,
  };
}

async function main() {
  let scratch: ScratchDb | undefined;
  let url = reuseUrl;
  if (!url) {
    scratch = await createScratchDb();
    url = scratch.url;
    const t0 = performance.now();
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await seedCatalogue(client, { services, teams, seed: int("BENCH_SEED", 42) });
      const t1 = performance.now();
      await seedHistory(client);
      log(`bench: catalogue in ${seconds(t1 - t0)} s, history in ${seconds(performance.now() - t1)} s`);
    } finally {
      await client.end();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const database = await openDatabase({ databaseUrl: url });
  try {
    const counts = (
      await client.query(`SELECT (SELECT count(*) FROM team)::int AS teams, (SELECT count(*) FROM service)::int AS services,
      (SELECT count(*) FROM release)::int AS releases, (SELECT count(*) FROM rollout)::int AS rollouts`)
    ).rows[0] as Record<string, number>;
    log(
      `bench: ${Object.entries(counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
    // Squads that own services (the page's usual case), and tribes (a tribe sees its squads together).
    const squads = (
      await client.query(`SELECT t.name FROM team t WHERE EXISTS (SELECT 1 FROM service s WHERE s.team_id = t.id) ORDER BY random() LIMIT 500`)
    ).rows.map((r: { name: string }) => r.name);
    const tribes = (await client.query(`SELECT t.name FROM team t WHERE t.type = 'tribe' ORDER BY random() LIMIT 50`)).rows.map(
      (r: { name: string }) => r.name,
    );
    const squad = () => squads[Math.floor(Math.random() * squads.length)]!;
    const db = database.prisma;
    const figures = (days: DeliveryWindow, name = squad()) => getDeliveryFigures({ kind: "team", name }, days, { db });

    const sample = await figures(90, squads[0]);
    log(
      `bench: one squad over 90 days: ${sample.scope.services} services, ${sample.deploymentFrequency.deploys} production deploys, ` +
        `${sample.changeFailureRate.failures} failures, lead ${Math.round((sample.leadTime.medianMs ?? 0) / 60_000)} min`,
    );
    // The plan of the module's own statement, with the values of one squad.
    const { figuresStatement } = await import("../../server/delivery/delivery-figures");
    const { teamTree } = await import("../../server/delivery/delivery-sql");
    const { Prisma } = await import("../../server/shared/generated/prisma/client");
    const statement = Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${figuresStatement(
      { kind: "team", teamIds: (await teamTree(db, squads[0]!))! },
      ["production"],
      new Date(Date.now() - 90 * 86_400_000),
      new Date(),
    )}`;
    // The last of three: the first ones read the pages into the cache.
    let plan = await client.query(statement.text, statement.values as unknown[]);
    for (let i = 0; i < 2; i++) plan = await client.query(statement.text, statement.values as unknown[]);
    log(plan.rows.map((r: Record<string, string>) => `  ${r["QUERY PLAN"]}`).join("\n"));

    log(
      `bench: load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} on ${os.cpus().length} cores; warming up for ${warmupS} s`,
    );
    await paced(() => figures(30), warmupS);
    const runs: Record<string, Run> = {};
    // One call at a time first: what a squad page costs when nothing queues.
    runs.serial30 = await serial(() => figures(30), 300);
    runs.serialFloor = await serial(() => db.$queryRaw`SELECT 1`, 300);
    runs.floor = await paced(() => db.$queryRaw`SELECT 1`, durationS);
    runs.team30 = await paced(() => figures(30), durationS);
    runs.team90 = await paced(() => figures(90), durationS);
    // A tribe (about 60 squads, 600 services) one call at a time: its page is rarer than a squad's.
    runs.serialTribe90 = await serial(() => figures(90, tribes[Math.floor(Math.random() * tribes.length)]), 50);
    for (const [name, r] of Object.entries(runs)) {
      const flag = ["floor", "serialTribe90", "serialFloor"].includes(name) ? "" : r.p95 <= targetMs ? " (within 50 ms)" : " (OVER 50 ms)";
      log(
        `bench: ${name.padEnd(13)} ${r.count} calls ${name.startsWith("serial") ? "one at a time" : `at ${rate}/s`}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms${flag}`,
      );
    }
    process.stdout.write(
      `bench:delivery rollouts=${counts.rollouts} team30_p95_ms=${runs.team30!.p95.toFixed(1)} team90_p95_ms=${runs.team90!.p95.toFixed(1)} ` +
        `tribe90_serial_p95_ms=${runs.serialTribe90!.p95.toFixed(1)} floor_p95_ms=${runs.floor!.p95.toFixed(1)} serial30_p95_ms=${runs.serial30!.p95.toFixed(1)} ` +
        `load_average=${os.loadavg()[0]!.toFixed(1)}\n`,
    );
  } finally {
    await client.end();
    await database.close();
    if (scratch && !keepDb) await scratch.drop();
    else if (scratch) log(`bench: kept ${scratch.url}`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  log(String((error as Error).stack ?? error));
  process.exit(1);
});
