import "server-only";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
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
