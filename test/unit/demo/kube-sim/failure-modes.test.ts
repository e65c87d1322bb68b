import { afterEach, describe, expect, it } from "vitest";
import { deploymentRolloutStatus } from "@/server/cluster/rollout-status";
import type { KubeSim } from "@/server/demo/kube-sim";
import { clientsFor, deploymentManifest, rawRequest, startSim } from "./helpers";

describe("kube-sim failure modes", { timeout: 30_000 }, () => {
  let sim: KubeSim;

  afterEach(async () => {
    await sim.stop();
  });

  it("crash-looping containers restart with back-off and never become ready", async () => {
    sim = await startSim();
    const { apps, core } = clientsFor(sim);
    await sim.apply([deploymentManifest("crashy", "shop", "shop/crashy:1.0-crashloop", { replicas: 1, progressDeadlineSeconds: 60 })]);
    await sim.clock.advance(45_000);
    const pod = (await core.listNamespacedPod({ namespace: "shop" })).items[0]!;
    const status = pod.status?.containerStatuses?.[0];
    expect(pod.status?.phase).toBe("Running");
    expect(status?.ready).toBe(false);
    expect(status?.restartCount).toBeGreaterThanOrEqual(2);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady" });

    // Sample until it is caught waiting in back-off.
    let waiting = status?.state?.waiting;
    for (let i = 0; i < 40 && waiting?.reason !== "CrashLoopBackOff"; i++) {
      await sim.clock.advance(1000);
      waiting = (await core.readNamespacedPod({ name: pod.metadata!.name!, namespace: "shop" })).status?.containerStatuses?.[0]?.state?.waiting;
    }
    expect(waiting?.reason).toBe("CrashLoopBackOff");
    expect(waiting?.message).toMatch(/^back-off \d+s restarting failed container=app pod=crashy-\w+-\w+_shop\(/);

    const restartsBefore = (await core.readNamespacedPod({ name: pod.metadata!.name!, namespace: "shop" })).status?.containerStatuses?.[0]?.restartCount ?? 0;
    await sim.clock.advance(120_000);
    const restartsAfter = (await core.readNamespacedPod({ name: pod.metadata!.name!, namespace: "shop" })).status?.containerStatuses?.[0]?.restartCount ?? 0;
    expect(restartsAfter).toBeGreaterThan(restartsBefore);

    const backoff = (await core.listNamespacedEvent({ namespace: "shop", fieldSelector: `involvedObject.name=${pod.metadata?.name},reason=BackOff` })).items;
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({
      type: "Warning",
      message: `Back-off restarting failed container app in pod ${pod.metadata?.name}_shop(${pod.metadata?.uid})`,
      source: { component: "kubelet" },
    });
    expect(backoff[0]?.count).toBeGreaterThan(1);
    expect(backoff[0]!.lastTimestamp!.getTime()).toBeGreaterThan(backoff[0]!.firstTimestamp!.getTime());

    const d = await apps.readNamespacedDeployment({ name: "crashy", namespace: "shop" });
    expect(d.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
    expect(d.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(deploymentRolloutStatus(d as never)).toMatchObject({ failed: true, message: 'deployment "crashy" exceeded its progress deadline' });
    expect(d.status?.unavailableReplicas).toBe(1);
  });

  it("pods whose readiness probe fails stay Running but not Ready, with Unhealthy warnings", async () => {
    sim = await startSim();
    const { core } = clientsFor(sim);
    const manifest = deploymentManifest("stuck", "shop", "shop/stuck:2.0", {
      replicas: 1,
      containers: [{ name: "app", image: "shop/stuck:2.0", readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 } }],
    });
    sim.setImageBehaviour("shop/stuck:2.0", "never-ready");
    await sim.apply([manifest]);
    await sim.clock.advance(30_000);
    const pod = (await core.listNamespacedPod({ namespace: "shop" })).items[0]!;
    expect(pod.status?.phase).toBe("Running");
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect(pod.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    const unhealthy = (await core.listNamespacedEvent({ namespace: "shop", fieldSelector: "reason=Unhealthy" })).items;
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]).toMatchObject({ type: "Warning", message: "Readiness probe failed: HTTP probe failed with statuscode: 503" });
    expect(unhealthy[0]?.count).toBeGreaterThanOrEqual(4);
    const logs = await rawRequest(sim, `/api/v1/namespaces/shop/pods/${pod.metadata?.name}/log`);
    expect(logs.status).toBe(200);
    expect(logs.body).toContain("not ready");
  });

  it("setImageBehaviour changes running pods: they start crashing, then recover", async () => {
    sim = await startSim();
    const { core } = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "shop/web:3", replicas: 2 }]);
    sim.setImageBehaviour("shop/web:3", "crashloop");
    await sim.clock.advance(5000);
    let pods = (await core.listNamespacedPod({ namespace: "shop" })).items;
    expect(pods.every((p) => p.status?.containerStatuses?.[0]?.ready === false)).toBe(true);
    expect(pods.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1)).toBe(true);
    sim.setImageBehaviour("shop/web:3", "ok");
    await sim.clock.advance(60_000);
    pods = (await core.listNamespacedPod({ namespace: "shop" })).items;
    expect(pods.every((p) => p.status?.containerStatuses?.[0]?.ready === true)).toBe(true);
  });
});
