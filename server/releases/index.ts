import "server-only";
import { changeFeed, type ChangeFeed } from "../shared/change-feed";
import type { Db } from "../shared/db";
import type { RolloutBackend } from "./rollout-backend";
import { startReconciler, type Reconciler } from "./reconciler";

export * from "./types";
export type { RolloutBackend, ActingAs, TargetObservation } from "./rollout-backend";
export { environmentPolicies, environmentPolicy, approvalsRequired, policiesOf, setEnvironmentPolicies, type EnvironmentPolicy } from "./environments";
export { registerRelease } from "./register-release";
export { requestRollout } from "./request-rollout";
export { decideCheckpoint } from "./decide-checkpoint";
export { cancelRollout } from "./cancel-rollout";
export { rollbackRollout } from "./rollback-rollout";
export { operateWorkload, workloadActions, type WorkloadAction } from "./operate-workload";
export { applyRollout } from "./apply-rollout";
export { trackRollout } from "./track-rollout";
export { startReconciler, type Reconciler } from "./reconciler";
export { createFreeze, liftFreeze, listFreezes, freezeInForce, type FreezeView } from "./freezes";
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

/** The process's rollout backend and its reconciler, built by the composition root. */
export type ReleaseRuntime = { backend: RolloutBackend; reconciler: Reconciler };

/** Builds the rollout runtime; `reconcile: false` builds the backend only (tests drive the reconciler themselves). */
export function startReleaseRuntime(
  db: Db,
  backend: RolloutBackend,
  options: { intervalMs?: number; reconcile?: boolean; changes?: ChangeFeed | Promise<ChangeFeed> } = {},
): ReleaseRuntime {
  const idle: Reconciler = { kick() {}, expedite() {}, async runOnce() {}, async stop() {}, drain: async () => ({ finished: 0, handedOver: 0 }) };
  // Kicks from other replicas arrive through the process's change feed unless the caller gives one.
  const reconcile = () => startReconciler(db, backend, { ...options, changes: options.changes ?? changeFeed() });
  return { backend, reconciler: options.reconcile === false ? idle : reconcile() };
}

export { watchRollout, type LiveRollout } from "./watch-rollout";
export { createMarkerFeed, deployMarkers, type DeployMarker, type MarkerFeed } from "./deploy-markers";
export { recordHealthVerdicts, startHealthVerdicts, type HealthVerdict, type MeasureHealth } from "./health-verdicts";
export { measureWithMetrics } from "./measure-health";
export { actingPerson } from "./acting-person";

export { clusterRolloutBackend } from "./cluster-backend";
export { eligibleApprovers, type EligibleApprover } from "./approvers";
