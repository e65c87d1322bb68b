// `npm test`: generate the Prisma client, type-check, then run every test project (unit, integration on real
// Postgres and on embedded PGlite, end-to-end in Chromium) and print one closing line: "N passed, N failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
const fail = (message) => {
  console.error(`\n${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
};

if (run(process.execPath, ["prisma/generate.mjs"]).status !== 0) fail("Generating the Prisma client failed.");

const postgres = process.env.SLIPWAY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ready = spawnSync("pg_isready", ["-d", postgres], { encoding: "utf8" });
if (ready.error === undefined && ready.status !== 0) {
  fail(`Postgres does not answer at ${postgres}. Start it, or point SLIPWAY_TEST_POSTGRES_URL at one.`);
}
const chromium = process.env.SLIPWAY_CHROMIUM ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) fail(`Chromium is not at ${chromium}: apt-get install -y chromium (or set SLIPWAY_CHROMIUM).`);

console.log("Type-checking ...");
if (run(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit"]).status !== 0) fail("Type errors.");

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
  fs.rmSync(report, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
