import "server-only";
import { database, type Db } from "../shared/db";
import { ServiceUnavailableError } from "../shared/errors";
import type { RolloutBackend } from "./rollout-backend";
import { createMarkerFeed, type MarkerFeed } from "./deploy-markers";
import { startReconciler, type Reconciler } from "./reconciler";

export * from "./types";
export type { RolloutBackend, ActingAs, TargetObservation } from "./rollout-backend";
export { environmentPolicies, environmentPolicy, approvalsRequired, setEnvironmentPolicies, type EnvironmentPolicy } from "./environments";
export { registerRelease } from "./register-release";
export { requestRollout } from "./request-rollout";
export { decideCheckpoint } from "./decide-checkpoint";
export { cancelRollout } from "./cancel-rollout";
export { rollbackRollout } from "./rollback-rollout";
export { operateWorkload, workloadActions, type WorkloadAction } from "./operate-workload";
export { applyRollout } from "./apply-rollout";
export { trackRollout, judge } from "./track-rollout";
export { startReconciler, expireCheckpoints, type Reconciler } from "./reconciler";
export { createFreeze, liftFreeze, listFreezes, activeFreeze, type FreezeView } from "./freezes";
export {
  listRollouts,
  getRollout,
  checkpointInbox,
  checkpointEvidence,
  deployStatus,
  rolloutQuerySchema,
  type Evidence,
  type InboxItem,
  type EnvironmentStatus,
} from "./queries";

const key = Symbol.for("slipway.releases");
type Runtime = { backend: RolloutBackend; reconciler: Reconciler };
type Globals = typeof globalThis & { [key]?: Runtime };

/**
 * The process's rollout backend and reconciler, installed by the server at start (shared with the Next.js bundles).
 * `reconcile: false` installs the backend only: tests then drive the reconciler themselves.
 */
export function installReleaseRuntime(db: Db, backend: RolloutBackend, options: { intervalMs?: number; reconcile?: boolean } = {}): Runtime {
  const g = globalThis as Globals;
  const idle: Reconciler = { kick() {}, expedite() {}, async runOnce() {}, async stop() {} };
  g[key] = { backend, reconciler: options.reconcile === false ? idle : startReconciler(db, backend, options) };
  return g[key];
}

/** Removes the installed runtime (tests). */
export function uninstallReleaseRuntime(): void {
  delete (globalThis as Globals)[key];
}

export function releaseRuntime(): Runtime {
  const runtime = (globalThis as Globals)[key];
  if (!runtime) throw new ServiceUnavailableError("Slipway is not connected to any cluster yet.");
  return runtime;
}

/** Wakes the reconciler after a change that may have made work (an approval, a registration, a rollback). */
export function kickReconciler(approvedRolloutId?: string): void {
  const reconciler = (globalThis as Globals)[key]?.reconciler;
  if (approvedRolloutId) reconciler?.expedite(approvedRolloutId);
  else reconciler?.kick();
}

export async function releasesDb(): Promise<Db> {
  return (await database()).prisma;
}
export { snapshotRollout, watchRollout, type LiveRollout } from "./watch-rollout";
export { createMarkerFeed, deployMarkers, type DeployMarker, type MarkerFeed } from "./deploy-markers";
export { recordHealthVerdicts, startHealthVerdicts, type HealthVerdict, type MeasureHealth } from "./health-verdicts";
export { healthSince, measureWithMetrics } from "./measure-health";
export { actingPerson } from "./acting-person";

const feedKey = Symbol.for("slipway.markerFeed");
type FeedGlobals = typeof globalThis & { [feedKey]?: MarkerFeed };

/** The process's one marker feed (shared by the custom server and the Next.js bundles, like the runtime above). */
export async function markerFeed(): Promise<MarkerFeed> {
  const g = globalThis as FeedGlobals;
  g[feedKey] ??= createMarkerFeed(await releasesDb());
  return g[feedKey];
}

/** The backend when the server has one (pages render without clusters too). */
export function optionalBackend(): RolloutBackend | undefined {
  return (globalThis as Globals)[key]?.backend;
}
export { clusterRolloutBackend } from "./cluster-backend";
export { eligibleApprovers, type EligibleApprover } from "./approvers";
