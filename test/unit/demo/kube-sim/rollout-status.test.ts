import { describe, expect, it } from "vitest";
import { argoRolloutStatus, calculateRolloutPhase, deploymentRolloutStatus, getRolloutPhase } from "@/server/cluster/rollout-status";

const deployment = (status: object, spec: object = {}, generation = 2) => ({
  metadata: { name: "web", generation },
  spec: { replicas: 3, ...spec },
  status: { observedGeneration: 2, ...status },
});

describe("deploymentRolloutStatus (kubectl rollout status)", () => {
  it("checks in kubectl's order", () => {
    expect(deploymentRolloutStatus(deployment({ observedGeneration: 1, updatedReplicas: 3 })).message).toBe(
      "Waiting for deployment spec update to be observed...",
    );
    const timedOut = deployment({ updatedReplicas: 1, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] });
    expect(deploymentRolloutStatus(timedOut)).toEqual({ done: false, failed: true, paused: false, message: 'deployment "web" exceeded its progress deadline' });
    expect(deploymentRolloutStatus(deployment({ replicas: 4, updatedReplicas: 1 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(deploymentRolloutStatus(deployment({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(deploymentRolloutStatus(deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    );
    expect(deploymentRolloutStatus(deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toEqual({
      done: true,
      failed: false,
      paused: false,
      message: 'deployment "web" successfully rolled out',
    });
  });

  it("treats missing status counters as zero and flags paused deployments", () => {
    expect(deploymentRolloutStatus({ metadata: { name: "web", generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1 } }).message).toBe(
      'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...',
    );
    const paused = deploymentRolloutStatus(
      deployment({ updatedReplicas: 0, conditions: [{ type: "Progressing", status: "Unknown", reason: "DeploymentPaused" }] }, { paused: true }),
    );
    expect(paused).toMatchObject({ paused: true, done: false });
    expect(paused.message).toBe('Paused: Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...');
  });
});

describe("Argo Rollouts phase and status", () => {
  const canary = { replicas: 5, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }] } } };

  it("orders Degraded > Paused > Progressing > Healthy", () => {
    const aborted = {
      conditions: [{ type: "Progressing", status: "False", reason: "RolloutAborted", message: "Rollout aborted update to revision 2" }],
      pauseConditions: [{ reason: "CanaryPauseStep" }],
    };
    expect(calculateRolloutPhase(canary, aborted)).toEqual({ phase: "Degraded", message: "RolloutAborted: Rollout aborted update to revision 2" });
    expect(calculateRolloutPhase(canary, { conditions: [{ type: "InvalidSpec", status: "True", message: "bad" }] })).toEqual({
      phase: "Degraded",
      message: "InvalidSpec: bad",
    });
    expect(calculateRolloutPhase({ ...canary, paused: true }, {})).toEqual({ phase: "Paused", message: "manually paused" });
    expect(calculateRolloutPhase(canary, { pauseConditions: [{ reason: "CanaryPauseStep" }] })).toEqual({ phase: "Paused", message: "CanaryPauseStep" });
    expect(calculateRolloutPhase(canary, { updatedReplicas: 1 })).toEqual({ phase: "Progressing", message: "more replicas need to be updated" });
    expect(calculateRolloutPhase(canary, { updatedReplicas: 5, availableReplicas: 4 })).toEqual({
      phase: "Progressing",
      message: "updated replicas are still becoming available",
    });
    expect(calculateRolloutPhase(canary, { replicas: 6, updatedReplicas: 5, availableReplicas: 5 })).toEqual({
      phase: "Progressing",
      message: "old replicas are pending termination",
    });
    expect(calculateRolloutPhase(canary, { replicas: 5, updatedReplicas: 5, availableReplicas: 5, stableRS: "a", currentPodHash: "b" })).toEqual({
      phase: "Progressing",
      message: "waiting for all steps to complete",
    });
    expect(calculateRolloutPhase(canary, { replicas: 5, updatedReplicas: 5, availableReplicas: 5, stableRS: "b", currentPodHash: "b" })).toEqual({
      phase: "Healthy",
      message: "",
    });
  });

  it("accounts for an unobserved generation and an unpausing rollout before trusting status.phase", () => {
    const base = { metadata: { name: "api", generation: 3 }, spec: canary };
    expect(getRolloutPhase({ ...base, status: { observedGeneration: "2", phase: "Healthy" } })).toEqual({
      phase: "Progressing",
      message: "waiting for rollout spec update to be observed",
    });
    expect(getRolloutPhase({ ...base, status: { observedGeneration: "3", phase: "Paused", controllerPause: true, pauseConditions: null } })).toEqual({
      phase: "Progressing",
      message: "waiting for rollout to unpause",
    });
    expect(
      getRolloutPhase({
        ...base,
        status: {
          observedGeneration: "3",
          phase: "Paused",
          message: "CanaryPauseStep",
          controllerPause: true,
          pauseConditions: [{ reason: "CanaryPauseStep" }],
        },
      }),
    ).toEqual({
      phase: "Paused",
      message: "CanaryPauseStep",
    });
  });

  it("summarises like kubectl argo rollouts status, with step and weights", () => {
    const ro = {
      metadata: { name: "api", generation: 2 },
      spec: canary,
      status: {
        observedGeneration: "2",
        phase: "Paused",
        message: "CanaryPauseStep",
        currentStepIndex: 1,
        pauseConditions: [{ reason: "CanaryPauseStep", startTime: "2026-01-01T00:00:00Z" }],
        controllerPause: true,
        stableRS: "a",
        currentPodHash: "b",
        replicas: 5,
        updatedReplicas: 1,
        availableReplicas: 5,
      },
    };
    expect(argoRolloutStatus(ro)).toEqual({
      phase: "Paused",
      done: false,
      failed: false,
      paused: true,
      message: "Paused - CanaryPauseStep",
      step: { index: 1, count: 3 },
      setWeight: 20,
      actualWeight: 20,
    });
    const healthy = argoRolloutStatus({
      ...ro,
      status: { ...ro.status, phase: "Healthy", message: "", pauseConditions: null, controllerPause: false, stableRS: "b", currentStepIndex: 3 },
    });
    expect(healthy).toMatchObject({ done: true, message: "Healthy", setWeight: 100, actualWeight: 100 });
    const aborted = argoRolloutStatus({
      ...ro,
      status: { ...ro.status, abort: true, phase: "Degraded", message: "RolloutAborted: x", pauseConditions: null, controllerPause: false },
    });
    expect(aborted).toMatchObject({ failed: true, setWeight: 0, message: "Degraded - RolloutAborted: x" });
  });
});
