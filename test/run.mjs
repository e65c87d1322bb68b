// `npm test`: make sure what the tests need is here (installing it when it can), generate the Prisma client,
// type-check, then run every test project (unit, integration on real Postgres and on embedded PGlite, end-to-end in
// Chromium) and print one closing line: "N passed, N failed".
//
// On a fresh machine of the project's kind (Debian, root, PostgreSQL installed) `npm install && npm test` is the whole
// set-up: missing system packages (Chromium for the end-to-end tests, Prometheus for the metrics tests) are installed
// with apt-get, and a stopped local PostgreSQL is started. Elsewhere it stops at once and says what to do.
// SLIPWAY_TEST_NO_INSTALL=1 never installs or starts anything.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
const fail = (message) => {
  console.error(`\n${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
};
const onPath = (name) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, name)));
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const mayInstall = process.env.SLIPWAY_TEST_NO_INSTALL !== "1";

// System packages: [Debian package, the executable the tests use, the variable that points elsewhere].
const chromium = process.env.SLIPWAY_CHROMIUM ?? "/usr/bin/chromium";
const prometheus = process.env.SLIPWAY_PROMETHEUS ?? "/usr/bin/prometheus";
const systemPackages = [
  { pkg: "chromium", path: chromium, variable: "SLIPWAY_CHROMIUM", why: "the end-to-end tests" },
  { pkg: "prometheus", path: prometheus, variable: "SLIPWAY_PROMETHEUS", why: "the metrics tests" },
];
const missingPackages = () => systemPackages.filter((p) => !fs.existsSync(p.path));
let missing = missingPackages();
if (missing.length && mayInstall && isRoot && onPath("apt-get")) {
  const names = missing.map((p) => p.pkg);
  console.log(`Installing ${names.join(", ")} with apt-get (needed by ${missing.map((p) => p.why).join(" and ")}) ...`);
  const apt = { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  // Wait for another apt-get (a second test run, unattended upgrades) instead of failing on its lock.
  const lock = ["-o", "DPkg::Lock::Timeout=300"];
  if (run("apt-get", [...lock, "update", "-qq"], apt).status !== 0) fail("apt-get update failed (see above).");
  const install = run("apt-get", [...lock, "install", "-y", "-qq", "--no-install-recommends", ...names], apt);
  if (install.status !== 0) fail(`apt-get install ${names.join(" ")} failed (see above).`);
  missing = missingPackages();
}
if (missing.length) {
  const lines = missing.map((p) => `  ${p.path} is missing (${p.why}; set ${p.variable} if it lives elsewhere)`);
  const command = `apt-get install -y --no-install-recommends ${missing.map((p) => p.pkg).join(" ")}`;
  const how = !mayInstall
    ? `Install it (SLIPWAY_TEST_NO_INSTALL=1 is set): ${isRoot ? "" : "sudo "}${command}`
    : isRoot && onPath("apt-get")
      ? `apt-get installed the packages but these paths are still missing: point the variables at them.`
      : `Install it, then run npm test again: ${isRoot ? "" : "sudo "}${command}`;
  fail(`Missing what the tests need:\n${lines.join("\n")}\n${how}`);
}

// PostgreSQL: the project's machines run it on 127.0.0.1:5432 with trust auth; start it when it is installed but down.
const postgres = process.env.SLIPWAY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
async function postgresAnswers() {
  const { Client } = createRequire(import.meta.url)("pg");
  const client = new Client({ connectionString: postgres, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error.code ?? error) : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
let postgresError = await postgresAnswers();
const localDefault = process.env.SLIPWAY_TEST_POSTGRES_URL === undefined;
const clusters = fs.existsSync("/etc/postgresql") ? fs.readdirSync("/etc/postgresql").sort() : [];
if (postgresError && localDefault && mayInstall && isRoot && clusters.length && onPath("pg_ctlcluster")) {
  const version = clusters.at(-1);
  console.log(`PostgreSQL does not answer (${postgresError}); starting the local cluster ${version}/main ...`);
  run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]);
  for (let i = 0; i < 30 && (postgresError = await postgresAnswers()); i++) await new Promise((r) => setTimeout(r, 1_000));
}
if (postgresError) {
  const start = clusters.length
    ? `${isRoot ? "" : "sudo "}pg_ctlcluster ${clusters.at(-1)} main start`
    : `${isRoot ? "" : "sudo "}apt-get install -y postgresql (then allow trust auth for postgres on 127.0.0.1 in pg_hba.conf)`;
  fail(
    `PostgreSQL does not answer at ${postgres}: ${postgresError}\n` +
      (localDefault
        ? `Start it (${start}), or point SLIPWAY_TEST_POSTGRES_URL at a server where this user may create databases.`
        : `Check SLIPWAY_TEST_POSTGRES_URL: the tests create and drop a database there.`),
  );
}

if (run(process.execPath, ["prisma/generate.mjs"]).status !== 0) fail("Generating the Prisma client failed.");

console.log("Type-checking ...");
if (run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit"]).status !== 0) fail("Type errors.");

// The architecture's rules (docs/architecture.md), unused files and dependencies: checked here so they hold without
// anyone remembering them.
console.log("Checking the architecture ...");
if (run(process.execPath, ["test/check-architecture.mjs"]).status !== 0) fail("The architecture check failed (see docs/architecture.md).");
console.log("Checking the formatting ...");
if (run(process.execPath, [path.join(root, "node_modules/prettier/bin/prettier.cjs"), "--check", ".", "--log-level", "warn"]).status !== 0) {
  fail("Files are not formatted: run npm run format.");
}
console.log("Looking for unused files, exports and dependencies ...");
if (run(process.execPath, [path.join(root, "node_modules/knip/bin/knip.js"), "--include", "files,exports,dependencies,unlisted,binaries"]).status !== 0) {
  fail("knip found unused files, exports or dependencies.");
}

const report = path.join(os.tmpdir(), `slipway-vitest-${process.pid}.json`);
const args = ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const result = run(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), ...args]);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const summary = JSON.parse(fs.readFileSync(report, "utf8"));
  passed = summary.numPassedTests;
  failed = summary.numFailedTests;
  skipped = summary.numPendingTests + summary.numTodoTests;
  // The slowest files, so a CI run that grows past its budget says where the time went.
  const files = summary.testResults
    .map((f) => ({ name: path.relative(root, f.name), ms: f.endTime - f.startTime }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  console.log("\nSlowest test files:");
  for (const f of files) console.log(`  ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.name}`);
  fs.rmSync(report, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
