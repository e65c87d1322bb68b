import "server-only";
import { clusterRegistry, setClusterRegistry, type ClusterRegistry, type ClusterRegistryInput } from "../cluster";
import { createLogs, logsFromConfig, type Logs, type LogSource } from "../logs";
import { metricsFromConfig, type Metrics } from "../metrics";
import {
  clusterRolloutBackend,
  createMarkerFeed,
  policiesOf,
  setEnvironmentPolicies,
  startReleaseRuntime,
  type EnvironmentPolicy,
  type MarkerFeed,
  type ReleaseRuntime,
  type RolloutBackend,
} from "../releases";
import { closeChangeFeed } from "../shared/change-feed";
import { config, type AppConfig } from "../shared/config";
import type { SlipwayConfig } from "../shared/config-file";
import { setDatabase, type Database, type Db } from "../shared/db";
import { ServiceUnavailableError } from "../shared/errors";

/**
 * Slipway's composition root: the one place that decides which database, clusters, metrics and log sources this
 * process uses, builds each module with what it needs, and hands the result to pages and route handlers.
 *
 * Why one slot on globalThis: the custom server (server/cli/start.ts) and the Next.js bundles load every module
 * separately (Next bundles its own copy), so the objects built at start reach the route handlers through exactly one
 * process-wide handoff, set here and nowhere else. Modules themselves keep no process state of their own.
 */
export type Slipway = {
  config: AppConfig;
  database: Database;
  db: Db;
  clusters: ClusterRegistry;
  /** The rollout backend and reconciler; null when no cluster is configured (the catalogue still works). */
  releases: ReleaseRuntime | null;
  /** The process's one deploy-marker feed (one database poll however many charts follow it). */
  markers: MarkerFeed;
  /** Metrics, when some environment has a source; `demo` tells the UI the figures are simulated. */
  metrics: { metrics: Metrics; demo: boolean } | null;
  /** Log sources per environment and pod logs through the clusters (sources may be empty). */
  logs: Logs;
};

export type SlipwayParts = {
  database: Database;
  config?: AppConfig;
  /** The validated slipway.config.yaml, when there is one: environments, clusters, metrics and log sources. */
  file?: SlipwayConfig | null;
  /** Clusters given programmatically (the embedded default's simulators, tests); else the file's. */
  clusters?: ClusterRegistryInput;
  /** Environment policies given programmatically (tests); else the file's, else staging + production. */
  environments?: EnvironmentPolicy[];
  /**
   * The rollout backend; `reconcile: false` builds the backend only (tests drive the reconciler themselves).
   * Omitted: the clusters' backend with a reconciler when there are clusters, none without; null: none (tests).
   */
  releases?: { backend: RolloutBackend; reconcile?: boolean; intervalMs?: number } | null;
  metrics?: { metrics: Metrics; demo?: boolean };
  /** Log sources by environment (the embedded default's simulator); else the file's. */
  logSources?: Record<string, LogSource>;
  logs?: Logs;
};

/**
 * Builds the modules from their parts and installs the result as the process's Slipway. The module defaults that
 * code deep in a module still reads (the database, the cluster registry, the environment policies) are set here
 * and only here.
 */
export function createSlipway(parts: SlipwayParts): Slipway {
  const file = parts.file ?? null;
  setDatabase(parts.database);
  if (parts.clusters) setClusterRegistry(parts.clusters);
  else if (file) setClusterRegistry({ environments: file.environments, clusters: file.clusters, namespaceOwners: file.namespaceOwners });
  if (parts.environments || file) setEnvironmentPolicies(parts.environments ?? policiesOf(file!.environments));
  const environments = (file?.environments ?? []).map((e) => e.name);
  const gateway = (name: string) => clusterRegistry().gateway(name);

  const db = parts.database.prisma;
  const metrics = parts.metrics
    ? { metrics: parts.metrics.metrics, demo: parts.metrics.demo ?? false }
    : file?.metrics
      ? { metrics: metricsFromConfig(file.metrics, { environments }), demo: false }
      : null;
  const logs =
    parts.logs ??
    (parts.logSources
      ? createLogs({ sources: parts.logSources, clusters: gateway })
      : file?.logs
        ? logsFromConfig(file.logs, { environments, clusters: gateway })
        : createLogs({ sources: {}, clusters: gateway }));
  const releases = parts.releases
    ? startReleaseRuntime(db, parts.releases.backend, parts.releases)
    : parts.releases === undefined && clusterRegistry().clusters.length
      ? startReleaseRuntime(db, clusterRolloutBackend())
      : null;

  const slipway: Slipway = {
    config: parts.config ?? config(),
    database: parts.database,
    db,
    get clusters() {
      return clusterRegistry();
    },
    releases,
    markers: createMarkerFeed(db),
    metrics,
    logs,
  };
  (globalThis as Globals)[key] = slipway;
  return slipway;
}

const key = Symbol.for("slipway.composition");
type Globals = typeof globalThis & { [key]?: Slipway };

/** The process's Slipway, as the composition root built it. */
export function slipway(): Slipway {
  const built = (globalThis as Globals)[key];
  if (!built) throw new ServiceUnavailableError("Slipway is still starting.");
  return built;
}

/** The rollout backend and reconciler, or a 503 that says why there are none. */
export function releaseRuntime(): ReleaseRuntime {
  const runtime = slipway().releases;
  if (!runtime) throw new ServiceUnavailableError("Slipway is not connected to any cluster yet.");
  return runtime;
}

/** Wakes the reconciler after a change that may have made work (an approval, a registration, a rollback). */
export function kickReconciler(approvedRolloutId?: string): void {
  const reconciler = (globalThis as Globals)[key]?.releases?.reconciler;
  if (approvedRolloutId) reconciler?.expedite(approvedRolloutId);
  else reconciler?.kick();
}

/** Stops what the Slipway started (reconciler, marker feed subscriptions) and forgets it (tests, shutdown). */
export async function stopSlipway(): Promise<void> {
  const built = (globalThis as Globals)[key];
  delete (globalThis as Globals)[key];
  await built?.releases?.reconciler.stop();
  await closeChangeFeed();
}
