import "server-only";

/**
 * Rollout progress exactly as the command-line tools report it, computed from plain Kubernetes objects:
 * `kubectl rollout status deployment/x` (kubectl pkg/polymorphichelpers/rollout_status.go) and
 * `kubectl argo rollouts status x` (argo-rollouts utils/rollout/rolloututil.go).
 */

export interface RolloutProgress {
  /** The rollout finished: every replica is updated and available. */
  done: boolean;
  /** The rollout will not finish by itself (progress deadline exceeded, aborted, invalid spec). */
  failed: boolean;
  /** Waiting for a person: a paused Deployment, or a Rollout at a pause step / paused by hand. */
  paused: boolean;
  /** The tool's own wording, without the trailing newline. */
  message: string;
}

interface ConditionLike {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentLike {
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: ConditionLike[];
  };
}

function condition(conditions: ConditionLike[] | undefined, type: string): ConditionLike | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** `kubectl rollout status` for a Deployment; checks run in kubectl's order. */
export function deploymentRolloutStatus(deployment: DeploymentLike): RolloutProgress {
  const name = deployment.metadata?.name ?? "";
  const status = deployment.status ?? {};
  const generation = deployment.metadata?.generation ?? 0;
  const paused = deployment.spec?.paused === true || condition(status.conditions, "Progressing")?.reason === "DeploymentPaused";
  if (generation > (status.observedGeneration ?? 0)) {
    return { done: false, failed: false, paused, message: "Waiting for deployment spec update to be observed..." };
  }
  if (condition(status.conditions, "Progressing")?.reason === "ProgressDeadlineExceeded") {
    return { done: false, failed: true, paused, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const replicas = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = (detail: string): RolloutProgress => ({
    done: false,
    failed: false,
    paused,
    message: `${paused ? "Paused: " : ""}Waiting for deployment "${name}" rollout to finish: ${detail}...`,
  });
  if (updated < desired) return waiting(`${updated} out of ${desired} new replicas have been updated`);
  if (replicas > updated) return waiting(`${replicas - updated} old replicas are pending termination`);
  if (available < updated) return waiting(`${available} of ${updated} updated replicas are available`);
  return { done: true, failed: false, paused, message: `deployment "${name}" successfully rolled out` };
}

export interface CanaryStepLike {
  setWeight?: number;
  pause?: { duration?: string | number } | null;
  [key: string]: unknown;
}

export interface RolloutSpecLike {
  replicas?: number;
  paused?: boolean;
  restartAt?: string;
  strategy?: {
    canary?: { steps?: CanaryStepLike[]; trafficRouting?: unknown } | null;
    blueGreen?: { [key: string]: unknown } | null;
  };
}

export interface RolloutStatusLike {
  abort?: boolean;
  pauseConditions?: Array<{ reason?: string; startTime?: string }> | null;
  controllerPause?: boolean;
  currentStepIndex?: number;
  currentPodHash?: string;
  stableRS?: string;
  observedGeneration?: string | number;
  phase?: string;
  message?: string;
  restartedAt?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: ConditionLike[];
  blueGreen?: { activeSelector?: string };
  canary?: { weights?: { canary?: { weight?: number }; stable?: { weight?: number } } };
}

export interface ArgoRolloutLike {
  metadata?: { name?: string; generation?: number };
  spec?: RolloutSpecLike;
  status?: RolloutStatusLike;
}

export type RolloutPhase = "Healthy" | "Progressing" | "Paused" | "Degraded";

/** rolloututil.CalculateRolloutPhase: what the Argo Rollouts controller writes to status.phase/message. */
export function calculateRolloutPhase(spec: RolloutSpecLike, status: RolloutStatusLike): { phase: RolloutPhase; message: string } {
  for (const c of status.conditions ?? []) {
    if (c.type === "InvalidSpec") return { phase: "Degraded", message: `InvalidSpec: ${c.message ?? ""}` };
    if (c.reason === "RolloutAborted" || c.reason === "ProgressDeadlineExceeded") {
      return { phase: "Degraded", message: `${c.reason}: ${c.message ?? ""}` };
    }
  }
  if (spec.paused) return { phase: "Paused", message: "manually paused" };
  const pause = (status.pauseConditions ?? [])[0];
  if (pause) return { phase: "Paused", message: pause.reason ?? "" };
  if (spec.restartAt && spec.restartAt !== status.restartedAt) return { phase: "Progressing", message: "rollout is restarting" };
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas) return { phase: "Progressing", message: "more replicas need to be updated" };
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) {
    return { phase: "Progressing", message: "updated replicas are still becoming available" };
  }
  const fullyPromoted = status.stableRS === status.currentPodHash;
  if (spec.strategy?.blueGreen) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) return { phase: "Progressing", message: "active service cutover pending" };
    if (!status.stableRS || !fullyPromoted) return { phase: "Progressing", message: "waiting for post-promotion verification to complete" };
  } else if (spec.strategy?.canary) {
    if (!spec.strategy.canary.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { phase: "Progressing", message: "old replicas are pending termination" };
    }
    if (!status.stableRS || !fullyPromoted) return { phase: "Progressing", message: "waiting for all steps to complete" };
  }
  return { phase: "Healthy", message: "" };
}

/** rolloututil.GetRolloutPhase: the phase a client should show (accounts for an unobserved spec change). */
export function getRolloutPhase(rollout: ArgoRolloutLike): { phase: RolloutPhase; message: string } {
  const status = rollout.status ?? {};
  const observed = Number.parseInt(String(status.observedGeneration ?? ""), 10);
  const generation = rollout.metadata?.generation ?? 0;
  if (Number.isFinite(observed) && observed < generation) {
    return { phase: "Progressing", message: "waiting for rollout spec update to be observed" };
  }
  if (status.controllerPause && (status.pauseConditions ?? []).length === 0) {
    return { phase: "Progressing", message: "waiting for rollout to unpause" };
  }
  if (status.phase) return { phase: status.phase as RolloutPhase, message: status.message ?? "" };
  return calculateRolloutPhase(rollout.spec ?? {}, status);
}

/** The weight the current canary step asks for (replicasetutil.GetCurrentSetWeight). */
export function currentSetWeight(rollout: ArgoRolloutLike): number {
  const status = rollout.status ?? {};
  if (status.abort) return 0;
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const index = status.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const w = steps[i]?.setWeight;
    if (typeof w === "number") return w;
  }
  return 0;
}

export interface ArgoRolloutProgress extends RolloutProgress {
  phase: RolloutPhase;
  /** Steps completed / total, when the canary has steps. */
  step?: { index: number; count: number };
  setWeight: number;
  /** Share of traffic on the canary: from status.canary.weights with traffic routing, else from replica counts. */
  actualWeight: number;
}

/** `kubectl argo rollouts status`: "Healthy", "Paused - CanaryPauseStep", "Degraded - RolloutAborted: ...". */
export function argoRolloutStatus(rollout: ArgoRolloutLike): ArgoRolloutProgress {
  const { phase, message } = getRolloutPhase(rollout);
  const status = rollout.status ?? {};
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const fullyPromoted = status.stableRS !== undefined && status.stableRS === status.currentPodHash;
  const setWeight = fullyPromoted ? 100 : currentSetWeight(rollout);
  let actualWeight: number;
  const weights = status.canary?.weights;
  if (weights?.canary?.weight !== undefined) actualWeight = weights.canary.weight;
  else if (fullyPromoted) actualWeight = 100;
  else {
    const available = status.availableReplicas ?? 0;
    const updated = Math.min(status.updatedReplicas ?? 0, available);
    actualWeight = available > 0 ? Math.round((updated / available) * 100) : 0;
  }
  return {
    phase,
    done: phase === "Healthy",
    failed: phase === "Degraded",
    paused: phase === "Paused",
    message: message ? `${phase} - ${message}` : phase,
    ...(steps.length > 0 ? { step: { index: Math.min(status.currentStepIndex ?? 0, steps.length), count: steps.length } } : {}),
    setWeight,
    actualWeight,
  };
}
