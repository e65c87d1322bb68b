import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../server/cli/build-if-stale";
import { adminUrl, databaseUrl } from "../../fixtures/global-setup";
import { e2eDistDir, freePort } from "../../fixtures/slipway-server";

/**
 * The container image's build steps, without a container builder: package the standalone build (reusing the
 * end-to-end tests' build when it is fresh) into a directory, then run it as the image does, as an unprivileged user
 * that cannot write to it (the read-only root filesystem), with writable directories standing in for the emptyDirs.
 */
const root = process.cwd();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-image-"));
const app = path.join(work, "app");
const writable = { tmp: path.join(work, "tmp"), data: path.join(work, "data"), cache: path.join(app, e2eDistDir, "cache") };
const asRoot = process.getuid?.() === 0;
const nobody = 65534;
const dbName = `slipway_image_${process.pid}_${Date.now().toString(36)}`;

function run(args: string[], env: Record<string, string>): ChildProcess {
  // Only what the Deployment sets: no repository, no NODE_PATH, no tsx.
  const options: SpawnOptions = {
    cwd: app,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: writable.tmp,
      TMPDIR: writable.tmp,
      DATABASE_URL: databaseUrl(dbName),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  };
  if (asRoot) Object.assign(options, { uid: nobody, gid: nobody });
  return spawn(process.execPath, args, options);
}

function collect(child: ChildProcess): () => string {
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return () => output;
}

/** Every file in the image directory with its size and modification time: a write anywhere changes the listing. */
function listing(dir: string, skip: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (full.startsWith(skip)) continue;
    const stat = fs.lstatSync(full);
    out.push(`${path.relative(dir, full)} ${stat.size} ${stat.mtimeMs}`);
  }
  return out.sort();
}

async function withDatabase(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, log: () => string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the container image's standalone server", () => {
  let server: ChildProcess | undefined;
  let serverLog: () => string = () => "";
  let url = "";
  let before: string[] = [];

  beforeAll(async () => {
    buildIfStale(e2eDistDir);
    const packaging = spawnSync(process.execPath, ["scripts/package-standalone.mjs", "--out", app, "--dist-dir", e2eDistDir], { cwd: root, encoding: "utf8" });
    expect(packaging.status, packaging.stdout + packaging.stderr).toBe(0);
    // The image's files belong to root and are read-only to the server; only the emptyDir stand-ins are its own.
    fs.chmodSync(work, 0o755);
    for (const dir of Object.values(writable)) {
      fs.mkdirSync(dir, { recursive: true });
      if (asRoot) fs.chownSync(dir, nobody, nobody);
    }
    before = listing(app, writable.cache);
    await withDatabase(`CREATE DATABASE "${dbName}"`);

    // The init container, then the server told to skip migrating, as deploy/base/deployment.yaml runs them.
    const migrate = run(["server/db.mjs", "migrate"], {});
    const migrateLog = collect(migrate);
    const code = await new Promise((resolve) => migrate.once("exit", resolve));
    expect(code, migrateLog()).toBe(0);
    expect(migrateLog()).toMatch(/Applied \d+: /);

    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = run(["server/start.mjs", "--skip-migrations"], {
      PORT: String(port),
      HOST: "127.0.0.1",
      SLIPWAY_DATA_DIR: writable.data,
      // The whole of `npm start` on Postgres: demo seed, simulated clusters, reconciler, metrics and logs.
      SLIPWAY_DEMO: "on",
    });
    serverLog = collect(server);
    await waitFor(
      "the server did not answer /api/livez",
      async () => {
        if (server!.exitCode !== null) throw new Error(`exited with ${server!.exitCode}`);
        return (await fetch(`${url}/api/livez`)).ok || undefined;
      },
      serverLog,
    );
  }, 240_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await withDatabase(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("ships no development dependency, no TypeScript runner and no sources", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    const shipped = (name: string) => fs.existsSync(path.join(app, "node_modules", name, "package.json"));
    expect(Object.keys(manifest.devDependencies).filter(shipped)).toEqual([]);
    expect(["tsx", "typescript", "esbuild"].filter(shipped)).toEqual([]);
    expect(["app", "components", "test", "server/cli"].filter((d) => fs.existsSync(path.join(app, d)))).toEqual([]);
    expect(fs.readdirSync(path.join(app, "prisma", "migrations")).length).toBeGreaterThan(1);
  });

  it("serves the web app, its assets and the probes, and has seeded and started the demo clusters", async () => {
    const live = await fetch(`${url}/api/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${url}/api/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok" });
    expect((await fetch(`${url}/api/healthz`)).status).toBe(200);

    const page = await fetch(`${url}/signin`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = html.match(/\/_next\/static\/[^"']+\.(?:js|css)/)?.[0];
    expect(asset, "a script or stylesheet in the page").toBeDefined();
    expect((await fetch(`${url}${asset}`)).status).toBe(200);

    expect(serverLog()).toContain("watching clusters");
    expect(serverLog()).not.toContain("applied database migrations");
  });

  it("is unready (503 problem+json) while the database refuses it, live all along, and ready again after", async () => {
    await withDatabase(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    try {
      await withDatabase(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}'`);
      const refused = await waitFor(
        "readiness did not fail",
        async () => {
          const res = await fetch(`${url}/api/readyz`);
          return res.status === 503 ? res : undefined;
        },
        serverLog,
        20_000,
      );
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(await refused.json()).toMatchObject({ status: 503, title: "Service Unavailable", detail: "The database does not answer." });
      expect((await fetch(`${url}/api/livez`)).status).toBe(200);
    } finally {
      await withDatabase(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    }
    await waitFor("readiness did not recover", async () => (await fetch(`${url}/api/readyz`)).ok || undefined, serverLog, 20_000);
  });

  it("writes nothing into the image's files (a read-only root filesystem works)", () => {
    expect(listing(app, writable.cache)).toEqual(before);
    expect(serverLog()).not.toMatch(/EACCES|EROFS|permission denied/i);
  });
});
