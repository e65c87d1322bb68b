import { describe, expect, it } from "vitest";
import { calculateRolloutPhase, currentSetWeight } from "@/server/cluster/rollout-status";
import { canarySetWeight, rolloutPhase } from "@/server/demo/kube-sim/rollout-phase";
import type { Rollout, RolloutStatus } from "@/server/demo/kube-sim/types";

/**
 * The simulator's Argo Rollouts controller and Slipway's status reading are written separately from the same rules;
 * any disagreement on a status means one of them is wrong.
 */

type Spec = Rollout["spec"];

const canarySteps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: "30s" } }];
const baseSpec = (extra: Partial<Spec> = {}): Spec =>
  ({ replicas: 5, selector: { matchLabels: { app: "api" } }, template: {}, strategy: { canary: { steps: canarySteps } }, ...extra }) as Spec;

const conditions: Record<string, RolloutStatus["conditions"]> = {
  none: undefined,
  progressing: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "updated" }],
  aborted: [{ type: "Progressing", status: "False", reason: "RolloutAborted", message: "Rollout aborted update to revision 2" }],
  timedOut: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "api-1" has timed out progressing.' }],
  invalid: [{ type: "InvalidSpec", status: "True", reason: "InvalidSpec", message: 'The Rollout "api" is invalid' }],
};

const specs: Record<string, Spec> = {
  canary: baseSpec(),
  paused: baseSpec({ paused: true }),
  restarting: baseSpec({ restartAt: "2026-01-01T10:00:00Z" }),
  trafficRouted: baseSpec({ strategy: { canary: { steps: canarySteps, trafficRouting: { nginx: { stableIngress: "api" } } } } }),
  blueGreen: baseSpec({ strategy: { blueGreen: { activeService: "api" } } }),
  defaultReplicas: { ...baseSpec(), replicas: undefined } as unknown as Spec,
  noSteps: baseSpec({ strategy: { canary: { steps: [] } } }),
};

const counts: Array<Pick<RolloutStatus, "replicas" | "updatedReplicas" | "availableReplicas">> = [
  {},
  { replicas: 6, updatedReplicas: 1, availableReplicas: 5 },
  { replicas: 5, updatedReplicas: 5, availableReplicas: 4 },
  { replicas: 6, updatedReplicas: 5, availableReplicas: 5 },
  { replicas: 5, updatedReplicas: 5, availableReplicas: 5 },
  { replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
];

const hashes: Array<Pick<RolloutStatus, "stableRS" | "currentPodHash"> & { blueGreen?: { activeSelector?: string } }> = [
  { currentPodHash: "b" },
  { stableRS: "a", currentPodHash: "b", blueGreen: { activeSelector: "a" } },
  { stableRS: "a", currentPodHash: "b", blueGreen: { activeSelector: "b" } },
  { stableRS: "b", currentPodHash: "b", blueGreen: { activeSelector: "b" } },
  { stableRS: "b", currentPodHash: "b" },
];

const pauses: Record<string, Pick<RolloutStatus, "pauseConditions" | "controllerPause">> = {
  none: {},
  step: { pauseConditions: [{ reason: "CanaryPauseStep", startTime: "2026-01-01T09:00:00Z" }], controllerPause: true },
  inconclusive: { pauseConditions: [{ reason: "InconclusiveAnalysisRun", startTime: "2026-01-01T09:00:00Z" }], controllerPause: true },
  cleared: { pauseConditions: null, controllerPause: true },
};

const restarts = [{}, { restartedAt: "2026-01-01T10:00:00Z" }, { restartedAt: "2025-12-31T10:00:00Z" }];

function* table(): Generator<{ name: string; spec: Spec; status: RolloutStatus }> {
  for (const [specName, spec] of Object.entries(specs)) {
    for (const [conditionName, conds] of Object.entries(conditions)) {
      for (const [pauseName, pause] of Object.entries(pauses)) {
        for (const [i, count] of counts.entries()) {
          for (const [j, hash] of hashes.entries()) {
            for (const [k, restart] of restarts.entries()) {
              const status: RolloutStatus = { ...count, ...hash, ...pause, ...restart, ...(conds ? { conditions: conds } : {}) };
              yield { name: `${specName}/${conditionName}/${pauseName}/counts${i}/hashes${j}/restart${k}`, spec, status };
            }
          }
        }
      }
    }
  }
}

describe("the simulator's Argo Rollouts phase agrees with Slipway's reading of it", () => {
  it("on every combination of conditions, pauses, replica counts, hashes and restarts", () => {
    const disagreements: string[] = [];
    const phases = new Set<string>();
    let rows = 0;
    for (const { name, spec, status } of table()) {
      rows++;
      const sim = rolloutPhase(spec, status);
      const slipway = calculateRolloutPhase(spec as never, status as never);
      phases.add(`${sim.phase}: ${sim.message.split(":")[0]}`);
      if (sim.phase !== slipway.phase || sim.message !== slipway.message) {
        disagreements.push(`${name}: simulator ${sim.phase} "${sim.message}", Slipway ${slipway.phase} "${slipway.message}"`);
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(rows).toBeGreaterThan(10_000);
    // The table reaches every branch of the rules, so agreement is not agreement on a few easy cases.
    expect([...phases].sort()).toEqual([
      "Degraded: InvalidSpec",
      "Degraded: ProgressDeadlineExceeded",
      "Degraded: RolloutAborted",
      "Healthy: ",
      "Paused: CanaryPauseStep",
      "Paused: InconclusiveAnalysisRun",
      "Paused: manually paused",
      "Progressing: active service cutover pending",
      "Progressing: more replicas need to be updated",
      "Progressing: old replicas are pending termination",
      "Progressing: rollout is restarting",
      "Progressing: updated replicas are still becoming available",
      "Progressing: waiting for all steps to complete",
      "Progressing: waiting for post-promotion verification to complete",
    ]);
  });

  it("orders the phases Degraded > Paused > Progressing > Healthy", () => {
    const status: RolloutStatus = { replicas: 6, updatedReplicas: 1, availableReplicas: 1, ...pauses.step, conditions: conditions.aborted };
    expect(rolloutPhase(baseSpec({ paused: true }), status)).toEqual({ phase: "Degraded", message: "RolloutAborted: Rollout aborted update to revision 2" });
    expect(rolloutPhase(baseSpec({ paused: true }), { ...status, conditions: [] })).toEqual({ phase: "Paused", message: "manually paused" });
    expect(rolloutPhase(baseSpec(), { ...status, conditions: [] })).toEqual({ phase: "Paused", message: "CanaryPauseStep" });
    expect(rolloutPhase(baseSpec(), { ...status, conditions: [], pauseConditions: null })).toEqual({
      phase: "Progressing",
      message: "more replicas need to be updated",
    });
    const done: RolloutStatus = { replicas: 5, updatedReplicas: 5, availableReplicas: 5, stableRS: "b", currentPodHash: "b" };
    expect(rolloutPhase(baseSpec(), done)).toEqual({ phase: "Healthy", message: "" });
  });

  it("agrees on the canary weight of every step, aborted or not", () => {
    const stepLists = [canarySteps, [], [{ pause: {} }, { setWeight: 40 }], [{ setWeight: 10 }, { setWeight: 30 }, { pause: { duration: 60 } }]];
    for (const steps of stepLists) {
      for (const currentStepIndex of [undefined, 0, 1, 2, 3, 4, 5]) {
        for (const abort of [false, true]) {
          const rollout = {
            spec: baseSpec({ strategy: { canary: { steps } } }),
            status: { ...(currentStepIndex !== undefined ? { currentStepIndex } : {}), abort },
          };
          expect(canarySetWeight(rollout), JSON.stringify(rollout)).toBe(currentSetWeight(rollout as never));
        }
      }
    }
    expect(canarySetWeight({ spec: baseSpec(), status: { currentStepIndex: 3 } })).toBe(50);
  });
});
