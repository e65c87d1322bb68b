import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { logger } from "./logger";

/**
 * Prisma migrations applied offline through Prisma's own wasm schema engine: the CLI's native engine cannot be
 * downloaded here, and the wasm engine writes `_prisma_migrations` exactly as `prisma migrate deploy` does.
 */

const root = process.cwd();
export const migrationsDir = path.join(root, "prisma", "migrations");
export const schemaPath = path.join(root, "prisma", "schema.prisma");

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diagnoseMigrationHistory(input: unknown): Promise<{
    editedMigrationNames: string[];
    failedMigrationNames: string[];
    hasMigrationsTable: boolean;
    history: null | { diagnostic: string; unappliedMigrationNames?: string[]; unpersistedMigrationNames?: string[] };
  }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

const filters = { externalTables: [], externalEnums: [] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WasmBindings = Record<string, any>;
let bindings: Promise<WasmBindings> | undefined;

/** The wasm module is instantiated once per process; each command gets its own SchemaEngine on it. */
function engineBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const bg = (await import(/* webpackIgnore: true */ path.join(pkgDir, "schema_engine_bg.js"))) as WasmBindings;
    const wasmBytes = fs.readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": bg });
    const exports = instance.exports as Record<string, () => void>;
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start!();
    return bg;
  })();
  return bindings;
}

// The wasm engine is not re-entrant: two commands in flight on one instance corrupt each other's memory (seen as
// "The encoded data was not valid for encoding utf-8"). Commands in one process therefore run one at a time.
let engineQueue: Promise<unknown> = Promise.resolve();

/** Runs one engine command on its own SchemaEngine, after any command already in flight, and frees it after. */
function withEngine<T>(factory: SqlMigrationAwareDriverAdapterFactory, command: (engine: Engine) => Promise<T>): Promise<T> {
  const run = async () => {
    // The engine opens its connections through the factory and never closes them: freeing it left a pooled
    // connection open on the database for the life of the process (and no copy could be made of that database).
    const opened: Array<{ dispose(): Promise<void> }> = [];
    const tracked: SqlMigrationAwareDriverAdapterFactory = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => {
        const adapter = await factory.connect();
        opened.push(adapter);
        return adapter;
      },
      connectToShadowDb: async () => {
        const adapter = await factory.connectToShadowDb();
        opened.push(adapter);
        return adapter;
      },
    };
    const engine = await loadEngine(tracked);
    try {
      return await command(engine);
    } finally {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => undefined)));
    }
  };
  const result = engineQueue.then(run, run);
  engineQueue = result.catch(() => undefined);
  return result;
}

async function loadEngine(factory: SqlMigrationAwareDriverAdapterFactory): Promise<Engine> {
  const bg = await engineBindings();
  const schema = fs.readFileSync(schemaPath, "utf8");
  const log = () => {};
  return bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, log, bindMigrationAwareSqlAdapterFactory(wholeScripts(factory)));
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  underlyingDriver?: () => unknown;
  onError?: (error: unknown) => never;
};

/**
 * @prisma/adapter-pg runs a migration by splitting it on every ";", which breaks PL/pgSQL bodies. Send the whole
 * script in one simple-protocol query instead (Postgres runs it as one implicit transaction).
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = <T extends object>(adapter: T): T => {
    const a = adapter as unknown as ScriptAdapter;
    const driver = a.underlyingDriver?.() as { query?: (sql: string) => Promise<unknown> } | undefined;
    if (factory.adapterName !== "@prisma/adapter-pg" || typeof driver?.query !== "function") return adapter;
    a.executeScript = async (script: string) => {
      try {
        await driver.query!(script);
      } catch (error) {
        if (a.onError) a.onError(error);
        throw error;
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

function migrationsList() {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file) ? { tag: "ok", value: fs.readFileSync(file, "utf8") } : { tag: "error", value: "migration.sql is missing" },
        },
      };
    }),
  };
}

export function applyMigrations(factory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  return withMigrationLock(factory, () =>
    withEngine(factory, async (engine) => (await engine.applyMigrations({ migrationsList: migrationsList(), filters })).appliedMigrationNames),
  );
}

/** Slipway's own advisory lock key ("SLIP"), apart from the one Prisma's engine takes inside a migration. */
const migrationLockKey = 0x534c4950;

type LockClient = { query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; release(): void };

/**
 * Replicas that start together (init containers, two processes on one database) apply migrations one at a time: the
 * engine's own lock gives up after 10 s, so a slow first migration failed the second replica's start. The lock is a
 * session lock on a connection of its own, released with it if the process dies.
 */
async function withMigrationLock<T>(factory: SqlMigrationAwareDriverAdapterFactory, run: () => Promise<T>): Promise<T> {
  if (factory.adapterName !== "@prisma/adapter-pg") return run();
  const adapter = await factory.connect();
  let client: LockClient | undefined;
  try {
    const pool = (adapter as unknown as { underlyingDriver(): { connect(): Promise<LockClient> } }).underlyingDriver();
    client = await pool.connect();
    const { rows } = await client.query("SELECT pg_try_advisory_lock($1) AS locked", [migrationLockKey]);
    if (rows[0]?.locked !== true) {
      logger().info("another process is applying database migrations; waiting for it");
      await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
    }
    try {
      return await run();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch(() => undefined);
    }
  } finally {
    client?.release();
    await adapter.dispose();
  }
}

export type MigrationStatus = {
  applied: boolean;
  pending: string[];
  edited: string[];
  failed: string[];
  diagnostic: string;
};

export function migrationStatus(factory: SqlMigrationAwareDriverAdapterFactory): Promise<MigrationStatus> {
  return withEngine(factory, async (engine) => {
    const out = await engine.diagnoseMigrationHistory({
      migrationsList: migrationsList(),
      optInToShadowDatabase: false,
      filters,
    });
    const pending = out.history?.unappliedMigrationNames ?? [];
    return {
      applied: out.hasMigrationsTable && pending.length === 0 && out.failedMigrationNames.length === 0,
      pending,
      edited: out.editedMigrationNames,
      failed: out.failedMigrationNames,
      diagnostic: out.history?.diagnostic ?? "ok",
    };
  });
}

/** SQL that brings the migration history up to the schema, computed against a throwaway in-memory PGlite. */
export async function diffSchemaAgainstMigrations(): Promise<string> {
  ensureLockfile();
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  const shadows: PGlite[] = [];
  // The adapter's own shadow database lacks the extensions the migrations create; replay them on one that has them.
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "pglite-with-extensions",
    connect: () => new PrismaPGlite(pglite).connect(),
    connectToShadowDb: async () => {
      const shadow = await PGlite.create({ extensions: { pg_trgm } });
      shadows.push(shadow);
      return new PrismaPGlite(shadow).connect();
    },
  };
  try {
    const out = await withEngine(factory, (engine) =>
      engine.diff({
        from: { tag: "migrations", ...migrationsList() },
        to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: fs.readFileSync(schemaPath, "utf8") }] },
        script: true,
        shadowDatabaseUrl: null,
        exitCode: null,
        filters,
      }),
    );
    return withoutManualDrops(out.stdout ?? "");
  } finally {
    await Promise.all([pglite, ...shadows].map((p) => p.close()));
  }
}

/**
 * Hand-written objects (named manual_*) live only in migration SQL; Prisma's diff must not drop them. Indexes,
 * triggers and functions come as statements of their own; hand-written columns (service.manual_search_document, say)
 * are unknown to schema.prisma and come as clauses of one ALTER TABLE per table, one clause a line, next to the
 * clauses of a real schema change: those clauses are taken out, and a statement left with none goes.
 */
export function withoutManualDrops(sql: string): string {
  return sql
    .split(/\n(?=-- )/)
    .filter((block) => !/^\s*(-- \w+\n)?DROP (INDEX|TRIGGER|FUNCTION)( IF EXISTS)? "?manual_/m.test(block))
    .map((block) =>
      block.replace(/^ALTER TABLE ("?\w+"?) ([\s\S]*?);$/gm, (_statement, table: string, body: string) => {
        const clauses = body.split(/,\n/).filter((clause) => !/^\s*DROP COLUMN "?manual_\w+"?\s*$/.test(clause));
        return clauses.length ? `ALTER TABLE ${table} ${clauses.join(",\n")};` : "";
      }),
    )
    .filter((block) => block.replace(/^--.*$/gm, "").trim() !== "")
    .join("\n")
    .trim();
}

export function writeMigration(name: string, sql: string): string {
  const safe =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^_+|_+$/g, "") || "migration";
  const stamp = new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, "")
    .slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${safe}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  return dir;
}

function ensureLockfile(): void {
  const lock = path.join(migrationsDir, "migration_lock.toml");
  if (fs.existsSync(lock)) return;
  fs.mkdirSync(migrationsDir, { recursive: true });
  fs.writeFileSync(lock, '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n');
}
