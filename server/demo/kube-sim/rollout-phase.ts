import "server-only";
import { parseTime } from "./clock";
import type { Rollout, RolloutStatus } from "./types";

/**
 * The Argo Rollouts controller's own phase and message (rolloututil.CalculateRolloutPhase) and current canary weight
 * (replicasetutil.GetCurrentSetWeight). Written here from the upstream rules, not shared with Slipway's reading of
 * them in server/cluster/rollout-status.ts: the simulator is the reference Slipway is tested against.
 */

type SimRolloutPhase = "Healthy" | "Progressing" | "Paused" | "Degraded";

type Verdict = { phase: SimRolloutPhase; message: string };

const progressing = (message: string): Verdict => ({ phase: "Progressing", message });

/** Condition reasons that make a Rollout Degraded (conditions.RolloutAbortedReason, conditions.TimedOutReason). */
const DEGRADING_REASONS = new Set(["RolloutAborted", "ProgressDeadlineExceeded"]);

/** Degraded (invalid spec, aborted, progress deadline) > Paused (by hand or by a pause condition) > Progressing > Healthy. */
export function rolloutPhase(spec: Rollout["spec"], status: RolloutStatus): Verdict {
  for (const c of status.conditions ?? []) {
    if (c.type === "InvalidSpec") return { phase: "Degraded", message: `InvalidSpec: ${c.message ?? ""}` };
    if (c.reason !== undefined && DEGRADING_REASONS.has(c.reason)) return { phase: "Degraded", message: `${c.reason}: ${c.message ?? ""}` };
  }
  if (spec.paused === true) return { phase: "Paused", message: "manually paused" };
  const [firstPause] = status.pauseConditions ?? [];
  if (firstPause) return { phase: "Paused", message: firstPause.reason };

  // Upstream compares the two as times, not strings.
  if (spec.restartAt !== undefined && parseTime(spec.restartAt) !== parseTime(status.restartedAt)) return progressing("rollout is restarting");
  const desired = typeof spec.replicas === "number" ? spec.replicas : 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < desired) return progressing("more replicas need to be updated");
  if ((status.availableReplicas ?? 0) < updated) return progressing("updated replicas are still becoming available");

  const promoted = !!status.stableRS && status.stableRS === status.currentPodHash;
  const strategy = spec.strategy ?? {};
  if (strategy.blueGreen) {
    const active = (status.blueGreen as { activeSelector?: string } | undefined)?.activeSelector;
    if (!active || active !== status.currentPodHash) return progressing("active service cutover pending");
    if (!promoted) return progressing("waiting for post-promotion verification to complete");
  } else if (strategy.canary) {
    // Only a basic canary scales old pods down at once; with traffic routing they linger for scaleDownDelay.
    if (!strategy.canary.trafficRouting && (status.replicas ?? 0) > updated) return progressing("old replicas are pending termination");
    if (!promoted) return progressing("waiting for all steps to complete");
  }
  return { phase: "Healthy", message: "" };
}

/** The weight the canary should have now: the last setWeight at or before the current step; 100 past the last step. */
export function canarySetWeight(rollout: Pick<Rollout, "spec" | "status">): number {
  if (rollout.status?.abort) return 0;
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  if (steps.length === 0) return 100;
  const at = rollout.status?.currentStepIndex ?? 0;
  if (at >= steps.length) return 100;
  const weighted = steps.slice(0, at + 1).filter((s) => typeof s.setWeight === "number");
  return weighted.length > 0 ? (weighted[weighted.length - 1]!.setWeight as number) : 0;
}
