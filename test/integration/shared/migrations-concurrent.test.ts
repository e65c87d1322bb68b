import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, databaseUrl } from "../../fixtures/global-setup";

/** `npm run db:migrate` as a replica's init container runs it, against `url`; resolves with its exit code and output. */
function migrate(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./server/cli/server-only-loader.mjs", "server/cli/db.ts", "migrate"], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("two replicas starting at once on a fresh database", () => {
  const names = ["race", "wait"].map((what) => `slipway_migrate_${what}_${process.pid}_${Date.now().toString(36)}`);
  const url = databaseUrl(names[0]!);
  const admin = () => new pg.Client({ connectionString: adminUrl });

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
  });
  afterAll(async () => {
    const client = admin();
    await client.connect();
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  });

  it("both succeed, one applies every migration once and the other finds nothing to do", { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);

    const migrations = fs
      .readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const outputs = [a.output, b.output];
    expect(outputs.filter((o) => o.includes(`Applied ${migrations.length}:`))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes("Database is up to date."))).toHaveLength(1);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
        "SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name",
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrations);
      expect(rows.every((r) => r.finished)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("a replica waits for another's migration longer than the engine's own 10 s lock allows, then migrates", { timeout: 120_000 }, async () => {
    // Another replica is migrating: it holds Slipway's migration lock (the key in server/shared/migrations.ts).
    const other = new pg.Client({ connectionString: databaseUrl(names[1]!) });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [0x534c4950]);
      const started = Date.now();
      const waiting = migrate(databaseUrl(names[1]!));
      // Held past Prisma's own advisory lock timeout (10 s), which is what failed a second replica's start before.
      for (;;) {
        const { rows } = await other.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted",
          [0x534c4950],
        );
        if (rows[0]!.waiting === 1 && Date.now() - started > 11_000) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      await other.query("SELECT pg_advisory_unlock($1)", [0x534c4950]);
      const result = await waiting;
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/Applied \d+: /);
    } finally {
      await other.end();
    }
  });
});
