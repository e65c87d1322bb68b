import "server-only";
import type { Metrics } from "./create-metrics";

/**
 * The process's metrics, installed by the server at start (the custom server and the Next.js bundles load modules
 * separately, so it is handed over on globalThis, as the release runtime is). Absent: no environment has a source.
 */
const key = Symbol.for("slipway.metrics");
type Globals = typeof globalThis & { [key]?: { metrics: Metrics; demo: boolean } };

export function installMetrics(metrics: Metrics, options: { demo?: boolean } = {}): void {
  (globalThis as Globals)[key] = { metrics, demo: options.demo ?? false };
}

export function installedMetrics(): { metrics: Metrics; demo: boolean } | undefined {
  return (globalThis as Globals)[key];
}

export function uninstallMetrics(): void {
  delete (globalThis as Globals)[key];
}
