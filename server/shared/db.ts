import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { Prisma, PrismaClient } from "./generated/prisma/client";
import { config } from "./config";
import { observeDatabasePool } from "./telemetry";

export type Db = PrismaClient;
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type DatabaseTarget = { databaseUrl: string } | { dataDir: string } | { memory: true };

export type Database = {
  prisma: PrismaClient;
  /** The adapter factory, for the migration engine. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  kind: "postgres" | "pglite";
  /** Where it lives, for what needs a connection of its own (LISTEN/NOTIFY): the URL, or the embedded instance. */
  source: { databaseUrl: string } | { pglite: PGlite };
  close(): Promise<void>;
};

const pgliteKey = Symbol.for("slipway.pglite");
const databaseKey = Symbol.for("slipway.database");
type Globals = typeof globalThis & {
  [pgliteKey]?: Map<string, Promise<PGlite>>;
  [databaseKey]?: Database;
};
const g = globalThis as Globals;

/**
 * PGlite is single-process and single-connection: two instances on one data directory corrupt it. The custom
 * server and the Next.js bundles load this module separately, so the instance lives on globalThis.
 */
async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  const registry = (g[pgliteKey] ??= new Map());
  const key = dataDir ?? ":memory:";
  let instance = dataDir ? registry.get(key) : undefined;
  if (!instance) {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    instance = PGlite.create({ ...(dataDir ? { dataDir: `file://${dataDir}/pgdata` } : {}), extensions: { pg_trgm } });
    if (dataDir) registry.set(key, instance);
  }
  return instance;
}

const cachedPlanMarker = "/* cached plan */ ";

/**
 * Marks a hand-written statement for a plan cached per connection: on Postgres it is prepared once per connection
 * and executed by name, so Postgres stops planning it on every request once the plans it made for the first five
 * executions show that one generic plan serves (Postgres's own choice, as for JDBC's server-side statements). Only
 * for statements whose best plan is the same whatever their values (a lookup by name, say), and whose text takes a
 * bounded number of shapes: values as parameters, lists as one array parameter. A search is not one: a generic plan
 * cannot tell a common word from a rare one. PGlite plans every statement as before. Named statements need a session
 * per connection: behind PgBouncer, use session pooling.
 */
export function cachedPlan(sql: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(cachedPlanMarker)}${sql}`;
}

/** Each connection holds at most this many prepared statements (plans of a few tens of kB each). */
const maxCachedPlans = 200;
const statementNames = new Map<string, string>();

/** The name a marked statement is prepared under (the same text, the same name); unmarked ones stay unnamed. */
function statementName(query: { sql: string }): string | undefined {
  if (!query.sql.startsWith(cachedPlanMarker)) return undefined;
  let name = statementNames.get(query.sql);
  if (!name) {
    if (statementNames.size >= maxCachedPlans) return undefined;
    name = `slipway_${createHash("sha256").update(query.sql).digest("base64url").slice(0, 22)}`;
    statementNames.set(query.sql, name);
  }
  return name;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ("databaseUrl" in target) {
    // pg's default idle timeout (10 s) stays: with five minutes, the migration engine's advisory lock outlived the
    // migration by minutes (the next process to start timed out waiting for it).
    // A database that cannot be reached fails a request within seconds (a 503), instead of queueing it forever.
    const poolConfig = { connectionString: target.databaseUrl, max: 10, connectionTimeoutMillis: 5_000 };
    // The adapter's type says string; pg takes an absent name as an unnamed statement.
    const adapterOptions = { statementNameGenerator: statementName as (query: { sql: string }) => string };
    // The client's pool is ours, so /metrics can report its use; the migration engine keeps a pool of its own, closed
    // when it is done (its advisory lock goes with it).
    const pool = new pg.Pool(poolConfig);
    observeDatabasePool(pool);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool, adapterOptions) });
    const adapterFactory = new PrismaPg(poolConfig, adapterOptions);
    let closing: Promise<void> | undefined;
    const close = () => (closing ??= prisma.$disconnect().then(() => pool.end()));
    return { prisma, adapterFactory, kind: "postgres", source: { databaseUrl: target.databaseUrl }, close };
  }
  const dataDir = "dataDir" in target ? target.dataDir : undefined;
  const pglite = await openPglite(dataDir);
  const adapterFactory = new PrismaPGlite(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    adapterFactory,
    kind: "pglite",
    source: { pglite },
    async close() {
      await prisma.$disconnect();
      // A persisted instance is shared for the life of the process; in-memory ones are private.
      if (!dataDir) await pglite.close();
    },
  };
}

export function configuredTarget(): DatabaseTarget {
  const c = config();
  return c.databaseUrl ? { databaseUrl: c.databaseUrl } : { dataDir: c.dataDir };
}

/** Install the process-wide database (the custom server does this before serving; tests install their own). */
export function setDatabase(database: Database): void {
  g[databaseKey] = database;
}

let opening: Promise<Database> | undefined;
export async function database(): Promise<Database> {
  if (g[databaseKey]) return g[databaseKey];
  opening ??= openDatabase(configuredTarget()).then((d) => {
    g[databaseKey] ??= d;
    return g[databaseKey];
  });
  return opening;
}

export async function db(): Promise<PrismaClient> {
  return (await database()).prisma;
}
