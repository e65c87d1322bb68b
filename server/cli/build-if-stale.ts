import "server-only";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = process.cwd();

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app into distDir unless a build there is newer than every source file. */
export function buildIfStale(distDir = process.env.SLIPWAY_DIST_DIR ?? ".next", log: (m: string) => void = console.log): void {
  // Test projects run at once and may each ask for the same build: one builds, the others wait and find it fresh.
  withBuildLock(distDir, () => buildUnlessFresh(distDir, log));
}

function buildUnlessFresh(distDir: string, log: (m: string) => void): void {
  const buildId = path.join(root, distDir, "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(
    ...["app", "components", "server", "public", "prisma"].map((d) => (fs.existsSync(d) ? newestSource(d) : 0)),
    ...["next.config.ts", "package.json", "postcss.config.mjs", "proxy.ts"].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)),
  );
  if (built > sources) return;
  log(`building the web app into ${distDir} (sources changed since the last build)`);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, SLIPWAY_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

/** A lock per checkout and build directory (an atomic mkdir); a lock left by a killed build is taken after 20 min. */
function withBuildLock(distDir: string, fn: () => void): void {
  const lock = path.join(os.tmpdir(), `slipway-build-${createHash("sha256").update(path.resolve(root, distDir)).digest("hex").slice(0, 16)}`);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 20 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
