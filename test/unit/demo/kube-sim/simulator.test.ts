import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { deploymentRolloutStatus } from "@/server/cluster/rollout-status";
import { startKubeSim, type KubeSim } from "@/server/demo/kube-sim";
import { clientsFor, deploymentManifest, ROLLOUTS, startSim, watchEvents } from "./helpers";

describe("kube-sim programmatic API", { timeout: 30_000 }, () => {
  let sim: KubeSim;

  afterEach(async () => {
    await sim.stop();
  });

  it("seedWorkloads creates Deployments and Rollouts that are already rolled out", async () => {
    sim = await startSim();
    await sim.seedWorkloads([
      { namespace: "shop", name: "web", image: "shop/web:1.4.2", replicas: 3, labels: { team: "storefront" }, annotations: { owner: "storefront" } },
      { namespace: "payments", name: "ledger", image: "pay/ledger:7", replicas: 2, kind: "Rollout", containerName: "ledger" },
    ]);
    const { apps, core, custom } = clientsFor(sim);
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(deploymentRolloutStatus(d as never).done).toBe(true);
    expect(d.metadata?.labels).toMatchObject({ app: "web", team: "storefront" });
    expect(d.metadata?.annotations).toMatchObject({ owner: "storefront", "deployment.kubernetes.io/revision": "1" });
    const rs = (await apps.listNamespacedReplicaSet({ namespace: "shop" })).items;
    expect(rs).toHaveLength(1);
    expect(rs[0]?.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const pods = (await core.listNamespacedPod({ namespace: "shop" })).items;
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.ready)).toBe(true);
    const ro = (await custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace: "payments", name: "ledger" })) as any;
    expect(ro.status).toMatchObject({ phase: "Healthy", availableReplicas: 2 });
    const ledgerPods = (await core.listNamespacedPod({ namespace: "payments" })).items;
    expect(ledgerPods.map((p) => p.spec?.containers[0]?.name)).toEqual(["ledger", "ledger"]);
    expect((await core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-system", "payments", "shop"]));
  });

  it("apply() creates or replaces objects and lets the controllers run", async () => {
    sim = await startSim();
    await sim.apply([deploymentManifest("web", "shop", "web:1", { replicas: 1 })]);
    const [updated] = await sim.apply([deploymentManifest("web", "shop", "web:2", { replicas: 2 })]);
    expect(updated?.metadata.generation).toBe(2);
    const { apps } = clientsFor(sim);
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(d.status?.observedGeneration).toBe(2);
    expect(d.spec?.template.spec?.containers[0]?.image).toBe("web:2");
  });

  it("writes a kubeconfig that client-node loads as is", async () => {
    sim = await startSim({ clusterName: "demo-eu" });
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig({ contextName: "slipway-demo" }));
    expect(kc.getCurrentContext()).toBe("slipway-demo");
    expect(kc.getCurrentCluster()).toMatchObject({ name: "demo-eu", server: sim.url, skipTLSVerify: true });
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(["demo-eu-node-1", "demo-eu-node-2", "demo-eu-node-3"]);
  });

  it("counts requests and can play an unreachable cluster", async () => {
    sim = await startSim();
    const { apps, kc } = clientsFor(sim);
    const before = sim.requestCount();
    await apps.listDeploymentForAllNamespaces();
    await apps.listDeploymentForAllNamespaces();
    expect(sim.requestCount()).toBe(before + 2);

    const w = await watchEvents(kc, "/apis/apps/v1/deployments");
    sim.setUnreachable(true);
    const failure = await apps.listDeploymentForAllNamespaces().then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: unknown }).code).not.toBe(200);
    await w.done;
    sim.setUnreachable(false);
    expect((await apps.listDeploymentForAllNamespaces()).kind).toBe("DeploymentList");
  });

  it("runs on wall-clock time in real mode, with a speed factor", async () => {
    sim = await startKubeSim({ clock: "real", speed: 20, podReadyDelayMs: 3000 });
    expect(sim.clock.mode).toBe("real");
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const apps = kc.makeApiClient(AppsV1Api);
    const t0 = sim.clock.now();
    const wall = Date.now();
    await sim.apply([deploymentManifest("web", "shop", "web:1", { replicas: 2 })]);
    let done = false;
    while (!done && Date.now() - wall < 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      done = deploymentRolloutStatus((await apps.readNamespacedDeployment({ name: "web", namespace: "shop" })) as never).done;
    }
    expect(done).toBe(true);
    // 3 simulated seconds to become ready took about 150 ms of wall time.
    expect(Date.now() - wall).toBeLessThan(5000);
    expect(sim.clock.now() - t0).toBeGreaterThanOrEqual(3000);
  });
});
