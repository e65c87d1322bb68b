import { describe, expect, it } from "vitest";
import type { CanaryView, PodView, WorkloadView } from "../../../server/cluster/types";
import { judge } from "../../../server/releases/track-rollout";

/** The rollout judge: kubectl's rollout-status words, plus failure when new pods cannot start. */
const image = "registry.example/app:2.0.0";
const workload = (over: Partial<WorkloadView> = {}): WorkloadView => ({
  cluster: "prod",
  kind: "Deployment",
  namespace: "cards",
  name: "card-api",
  uid: "u",
  generation: 3,
  observedGeneration: 3,
  paused: false,
  replicas: { desired: 2, current: 2, updated: 2, ready: 2, available: 2 },
  images: [{ container: "app", image, repository: "registry.example/app", tag: "2.0.0", digest: null }],
  revision: 3,
  status: { state: "complete", message: 'deployment "card-api" successfully rolled out' },
  conditions: [],
  canary: null,
  selector: {},
  labels: {},
  createdAt: null,
  ...over,
});
const pod = (over: Partial<PodView> = {}): PodView =>
  ({
    name: "card-api-abc-1",
    namespace: "cards",
    phase: "Running",
    status: "Running",
    ready: true,
    containersReady: { ready: 1, total: 1 },
    restarts: 0,
    node: "n1",
    createdAt: null,
    podTemplateHash: "abc",
    waitingReason: null,
    lastTermination: null,
    images: [{ container: "app", image, repository: "registry.example/app", tag: "2.0.0", digest: null }],
    ...over,
  }) as PodView;
const canary = (over: Partial<CanaryView>): CanaryView => ({
  currentStepIndex: 1,
  totalSteps: 4,
  weight: 20,
  actualWeight: 20,
  pauseReasons: [],
  aborted: false,
  phase: "Paused",
  steps: [
    { kind: "setWeight", weight: 20 },
    { kind: "pause", duration: null },
    { kind: "setWeight", weight: 50 },
    { kind: "pause", duration: "30s" },
  ],
  ...over,
});
const see = (w: WorkloadView, pods: PodView[] = [], events: Array<{ type: string; reason: string; message: string }> = []) =>
  judge(
    {
      workload: w,
      replicaSets: [],
      pods,
      events: events.map((e) => ({ ...e, count: 1, firstSeen: null, lastSeen: null, involvedKind: "Pod", involvedName: "card-api-abc-1" })),
    },
    "app",
    image,
  );

describe("judging a rollout", () => {
  it("succeeds when the workload runs the image and kubectl calls it complete", () => {
    expect(see(workload())).toMatchObject({ outcome: "succeeded" });
  });
  it("keeps waiting while the old image still runs", () => {
    const old = workload({
      images: [{ container: "app", image: "registry.example/app:1.0.0", repository: "registry.example/app", tag: "1.0.0", digest: null }],
    });
    expect(see(old)).toMatchObject({ outcome: "progressing", message: expect.stringMatching(/Waiting for Deployment card-api to take image/) });
  });
  it("fails when new pods crash-loop, naming the pod, its restarts and last exit, with the warnings", () => {
    const crashing = pod({
      ready: false,
      restarts: 4,
      waitingReason: "CrashLoopBackOff",
      lastTermination: { reason: "Error", exitCode: 1, finishedAt: null },
    } as Partial<PodView>);
    const verdict = see(
      workload({ status: { state: "progressing", message: "waiting" } }),
      [crashing],
      [{ type: "Warning", reason: "BackOff", message: "Back-off restarting failed container" }],
    );
    expect(verdict).toMatchObject({
      outcome: "failed",
      message: expect.stringMatching(/card-api-abc-1 is CrashLoopBackOff after 4 restarts, last exit: Error \(code 1\)/),
    });
    expect(verdict.outcome === "failed" && verdict.events[0]).toMatchObject({ reason: "BackOff" });
  });
  it("fails on ProgressDeadlineExceeded and on an aborted canary", () => {
    expect(see(workload({ status: { state: "failed", message: "exceeded its progress deadline" } }))).toMatchObject({ outcome: "failed" });
    expect(see(workload({ kind: "Rollout", status: { state: "progressing", message: "x" }, canary: canary({ aborted: true }) }))).toMatchObject({
      outcome: "failed",
    });
  });
  it("waits for a person at an indefinite canary pause, but not at a timed one", () => {
    const atIndefinite = see(
      workload({ kind: "Rollout", status: { state: "paused", message: "Paused" }, canary: canary({ currentStepIndex: 1, pauseReasons: ["CanaryPauseStep"] }) }),
    );
    expect(atIndefinite).toMatchObject({ outcome: "progressing", pausedAtStep: 1 });
    const atTimed = see(
      workload({ kind: "Rollout", status: { state: "paused", message: "Paused" }, canary: canary({ currentStepIndex: 3, pauseReasons: ["CanaryPauseStep"] }) }),
    );
    expect(atTimed).toMatchObject({ outcome: "progressing", pausedAtStep: undefined });
  });
});
