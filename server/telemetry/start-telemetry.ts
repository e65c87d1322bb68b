import "server-only";
import type { Db } from "../shared/db";
import { observeRollouts } from "../shared/telemetry";
import { metricsSettings, startMetricsServer, type MetricsServer } from "./metrics-server";
import { rolloutFigures } from "./rollout-figures";
import { appRouteTable, type RouteTable } from "./route-templates";

export type TelemetryRuntime = {
  /** The app's route templates, for the HTTP wrapper's labels. */
  routes: RouteTable;
  /** Where /metrics listens, or null when it is off. */
  metrics: MetricsServer | null;
  stop(): Promise<void>;
};

/**
 * What the composition root starts for Slipway's own telemetry: the route table, the database figures read on each
 * scrape, and the /metrics server (see metricsSettings for when it is on).
 */
export async function startTelemetry(options: {
  db: Db;
  root: string;
  distDir: string;
  host: string;
  embedded: boolean;
  env?: Record<string, string | undefined>;
}): Promise<TelemetryRuntime> {
  const routes = appRouteTable(options.root, options.distDir);
  observeRollouts(rolloutFigures(options.db));
  const settings = metricsSettings(options.env ?? process.env, { host: options.host, embedded: options.embedded });
  const metrics = settings ? await startMetricsServer(settings) : null;
  return {
    routes,
    metrics,
    async stop() {
      observeRollouts(null);
      await metrics?.stop();
    },
  };
}
