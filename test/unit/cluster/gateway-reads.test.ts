import { beforeAll, describe, expect, it } from "vitest";
import { parseLabelSelector } from "../../../server/cluster/label-selector";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { cardApi, gatewayFor, startSim, stopSimsAfterAll } from "./fixture";

describe("reading workloads through the gateway", () => {
  stopSimsAfterAll();
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startSim({}, [
      cardApi("registry.example/card-api:1.4.2"),
      {
        namespace: "cards",
        name: "card-processing",
        image: "registry.example/card-processing:3.0.0",
        replicas: 5,
        kind: "Rollout",
        labels: { "backstage.io/kubernetes-id": "card-processing" },
      },
      { namespace: "accounts", name: "ledger", image: "registry.example/ledger:2.0.0", replicas: 2, labels: { "backstage.io/kubernetes-id": "ledger" } },
    ]);
  });

  it("lists Deployments and Rollouts as workload views with kubectl's status", async () => {
    const gw = gatewayFor(sim);
    const all = await gw.listWorkloads();
    expect(all.map((w) => `${w.kind}/${w.namespace}/${w.name}`).sort()).toEqual([
      "Deployment/accounts/ledger",
      "Deployment/cards/card-api",
      "Rollout/cards/card-processing",
    ]);
    const [card] = await gw.listWorkloads({ namespace: "cards", selector: parseLabelSelector("backstage.io/kubernetes-id=card-api") });
    expect(card).toMatchObject({
      cluster: "staging",
      kind: "Deployment",
      revision: 1,
      paused: false,
      replicas: { desired: 3, current: 3, updated: 3, ready: 3, available: 3 },
      images: [{ container: "app", repository: "registry.example/card-api", tag: "1.4.2", digest: null }],
      status: { state: "complete", message: 'deployment "card-api" successfully rolled out' },
      canary: null,
    });
    const rollout = all.find((w) => w.kind === "Rollout")!;
    expect(rollout.status).toEqual({ state: "complete", message: "Healthy" });
    expect(rollout.canary).toMatchObject({
      totalSteps: 4,
      weight: 100,
      aborted: false,
      steps: [
        { kind: "setWeight", weight: 20 },
        { kind: "pause", duration: null },
        { kind: "setWeight", weight: 50 },
        { kind: "pause", duration: "30s" },
      ],
    });
  });

  it("maps ReplicaSets, pods (with image digests) and events", async () => {
    const gw = gatewayFor(sim);
    const replicaSets = await gw.listReplicaSets({ namespace: "cards" });
    const rs = replicaSets.find((r) => r.ownerName === "card-api")!;
    expect(rs).toMatchObject({ ownerKind: "Deployment", revision: 1, replicas: { desired: 3, current: 3, ready: 3, available: 3 } });
    expect(rs.podTemplateHash).toMatch(/^[a-z0-9]+$/);
    const pods = (await gw.listPods({ namespace: "cards" })).filter((p) => p.podTemplateHash === rs.podTemplateHash);
    expect(pods).toHaveLength(3);
    expect(pods[0]).toMatchObject({
      phase: "Running",
      status: "Running",
      ready: true,
      restarts: 0,
      lastTermination: null,
      containersReady: { ready: 1, total: 1 },
    });
    expect(pods[0]!.node).toMatch(/node/);
    expect(pods[0]!.images[0]!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const events = await gw.listEvents({ namespace: "cards" });
    expect(events.some((e) => e.reason === "ScalingReplicaSet" && e.involvedName === "card-api")).toBe(true);
  });

  it("reports a rollout's progress in kubectl's words, step by step", async () => {
    const gw = gatewayFor(sim);
    const ref = { cluster: "staging", kind: "Deployment" as const, namespace: "cards", name: "card-api" };
    await gw.setImage(ref, "app", "registry.example/card-api:1.5.0");
    const seen: string[] = [];
    for (let i = 0; i < 80; i++) {
      const w = await gw.getWorkload(ref);
      if (seen.at(-1) !== w.status.message) seen.push(w.status.message);
      if (w.status.state === "complete") break;
      await sim.clock.advance(500);
    }
    expect(seen[0]).toBe("Waiting for deployment spec update to be observed...");
    expect(seen).toContain('Waiting for deployment "card-api" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(seen.some((m) => /^Waiting for deployment "card-api" rollout to finish: \d old replicas are pending termination\.\.\.$/.test(m))).toBe(true);
    expect(seen.at(-1)).toBe('deployment "card-api" successfully rolled out');
    expect((await gw.getWorkload(ref)).revision).toBe(2);
  });

  it("shows a canary's step, weight and pause like kubectl argo rollouts", async () => {
    const gw = gatewayFor(sim);
    const ref = { cluster: "staging", kind: "Rollout" as const, namespace: "cards", name: "card-processing" };
    await gw.setImage(ref, "app", "registry.example/card-processing:3.1.0");
    expect((await gw.getWorkload(ref)).status).toEqual({ state: "waiting", message: "Progressing - waiting for rollout spec update to be observed" });
    await sim.clock.advance(10_000);
    const paused = await gw.getWorkload(ref);
    expect(paused.status).toEqual({ state: "paused", message: "Paused - CanaryPauseStep" });
    expect(paused.canary).toMatchObject({ currentStepIndex: 1, weight: 20, actualWeight: 20, pauseReasons: ["CanaryPauseStep"] });
  });
});
