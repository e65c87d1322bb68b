import type { V1ReplicaSet } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { deploymentRolloutStatus } from "@/server/cluster/rollout-status";
import type { KubeSim } from "@/server/demo/kube-sim";
import { advanceUntil, clientsFor, deploymentManifest, jsonPatch, merge, settle, startSim, strategic, watchEvents, type WatchEvent } from "./helpers";

const REVISION = "deployment.kubernetes.io/revision";

function setImage(image: string) {
  return { spec: { template: { spec: { containers: [{ name: "app", image }] } } } };
}

async function rolledOut(sim: KubeSim, namespace: string, name: string): Promise<boolean> {
  const d = await clientsFor(sim).apps.readNamespacedDeployment({ name, namespace });
  return deploymentRolloutStatus(d as never).done;
}

describe("kube-sim Deployment controller", () => {
  let sim: KubeSim;

  afterEach(async () => {
    await sim.stop();
  });

  it.each([
    { replicas: 4, maxSurge: 1, maxUnavailable: 1, surge: 1, unavailable: 1 },
    { replicas: 10, maxSurge: "25%", maxUnavailable: "25%", surge: 3, unavailable: 2 },
    { replicas: 3, maxSurge: 0, maxUnavailable: 1, surge: 0, unavailable: 1 },
    { replicas: 5, maxSurge: "40%", maxUnavailable: 0, surge: 2, unavailable: 0 },
  ])(
    "rolling update of $replicas replicas with maxSurge=$maxSurge maxUnavailable=$maxUnavailable never exceeds its bounds",
    async ({ replicas, maxSurge, maxUnavailable, surge, unavailable }) => {
      sim = await startSim();
      const { kc, apps } = clientsFor(sim);
      await sim.apply([
        deploymentManifest("web", "shop", "web:1", { replicas, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } }),
      ]);
      await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));

      // Every intermediate state, as watch events, is checked against the bounds.
      const violations: string[] = [];
      const rsSpec = new Map<string, number>();
      const pods = new Map<string, { ready: boolean; terminating: boolean }>();
      let maxTotalSpec = 0;
      let minReady = Infinity;
      let checking = false;
      const rsWatch = await watchEvents(kc, "/apis/apps/v1/namespaces/shop/replicasets");
      const podWatch = await watchEvents(kc, "/api/v1/namespaces/shop/pods");
      await settle(50);
      const onRs = (e: WatchEvent) => {
        if (e.type === "DELETED") rsSpec.delete(e.object.metadata.name);
        else rsSpec.set(e.object.metadata.name, e.object.spec.replicas);
        const total = [...rsSpec.values()].reduce((a, b) => a + b, 0);
        if (!checking) return;
        maxTotalSpec = Math.max(maxTotalSpec, total);
        if (total > replicas + surge) violations.push(`ReplicaSets want ${total} pods at rv ${e.object.metadata.resourceVersion}`);
      };
      const onPod = (e: WatchEvent) => {
        if (e.type === "DELETED") pods.delete(e.object.metadata.name);
        else {
          const ready = e.object.status?.conditions?.some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True") ?? false;
          pods.set(e.object.metadata.name, { ready, terminating: !!e.object.metadata.deletionTimestamp });
        }
        const active = [...pods.values()].filter((p) => !p.terminating);
        const ready = active.filter((p) => p.ready).length;
        if (!checking) return;
        minReady = Math.min(minReady, ready);
        if (active.length > replicas + surge) violations.push(`${active.length} pods at rv ${e.object.metadata.resourceVersion}`);
        if (ready < replicas - unavailable) violations.push(`only ${ready} ready pods at rv ${e.object.metadata.resourceVersion}`);
      };
      // The initial ADDED events rebuild the starting state; checks start from there.
      rsWatch.events.forEach(onRs);
      podWatch.events.forEach(onPod);
      checking = true;
      const seenRs = rsWatch.events.length;
      const seenPods = podWatch.events.length;

      await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage("web:2") }, strategic());
      await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
      await sim.clock.advance(5000);
      await settle(100);
      rsWatch.events.slice(seenRs).forEach(onRs);
      podWatch.events.slice(seenPods).forEach(onPod);
      rsWatch.stop();
      podWatch.stop();

      expect(violations).toEqual([]);
      // The bounds were actually used, not merely respected by doing one pod at a time.
      expect(maxTotalSpec).toBe(replicas + surge);
      expect(minReady).toBe(replicas - unavailable);
      const final = await clientsFor(sim).core.listNamespacedPod({ namespace: "shop" });
      expect(final.items).toHaveLength(replicas);
      expect(final.items.every((p) => p.spec?.containers[0]?.image === "web:2")).toBe(true);
    },
  );

  it("names ReplicaSets by template hash, owns them, and reuses an old one for a rollback with the next revision", async () => {
    sim = await startSim();
    const { apps } = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "web:1", replicas: 2 }]);
    for (const image of ["web:2", "web:3", "web:4"]) {
      await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage(image) }, strategic());
      await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    }
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(d.metadata?.annotations?.[REVISION]).toBe("4");
    const list = await apps.listNamespacedReplicaSet({ namespace: "shop", labelSelector: "app=web" });
    expect(list.items).toHaveLength(4);
    for (const rs of list.items) {
      const hash = rs.metadata?.labels?.["pod-template-hash"];
      expect(rs.metadata?.name).toBe(`web-${hash}`);
      expect(rs.spec?.selector.matchLabels?.["pod-template-hash"]).toBe(hash);
      expect(rs.spec?.template?.metadata?.labels?.["pod-template-hash"]).toBe(hash);
      expect(rs.metadata?.ownerReferences).toEqual([
        { apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: d.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }

    // `kubectl rollout undo --to-revision=3`, step by step as kubectl does it.
    const owned = list.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === d.metadata?.uid));
    const target = owned.find((rs) => rs.metadata?.annotations?.[REVISION] === "3") as V1ReplicaSet;
    const template = structuredClone(target.spec!.template!);
    delete template.metadata!.labels!["pod-template-hash"];
    const skip = [
      "kubectl.kubernetes.io/last-applied-configuration",
      REVISION,
      "deployment.kubernetes.io/revision-history",
      "deployment.kubernetes.io/desired-replicas",
      "deployment.kubernetes.io/max-replicas",
      "deprecated.deployment.rollback.to",
    ];
    const annotations: Record<string, string> = {};
    for (const k of skip) if (d.metadata?.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k]!;
    for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) if (!skip.includes(k)) annotations[k] = v;
    await apps.patchNamespacedDeployment(
      {
        name: "web",
        namespace: "shop",
        body: [
          { op: "replace", path: "/spec/template", value: template },
          { op: "replace", path: "/metadata/annotations", value: annotations },
        ],
      },
      jsonPatch(),
    );
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));

    const after = await apps.listNamespacedReplicaSet({ namespace: "shop", labelSelector: "app=web" });
    expect(after.items).toHaveLength(4);
    const reused = after.items.find((rs) => rs.metadata?.name === target.metadata?.name);
    expect(reused?.metadata?.annotations?.[REVISION]).toBe("5");
    expect(reused?.metadata?.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("3");
    expect(reused?.spec?.replicas).toBe(2);
    expect((await apps.readNamespacedDeployment({ name: "web", namespace: "shop" })).metadata?.annotations?.[REVISION]).toBe("5");
    await sim.clock.advance(5000);
    const pods = await clientsFor(sim).core.listNamespacedPod({ namespace: "shop" });
    expect(pods.items.every((p) => p.spec?.containers[0]?.image === "web:3")).toBe(true);
  });

  it("halts a paused Deployment (Progressing: DeploymentPaused) and continues on resume", async () => {
    sim = await startSim();
    const { apps } = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "web:1", replicas: 3 }]);
    await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: { spec: { paused: true } } }, merge());
    await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage("web:2") }, strategic());
    await sim.clock.advance(30_000);
    const paused = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(paused.status?.observedGeneration).toBe(paused.metadata?.generation);
    expect(paused.status?.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "Unknown",
      reason: "DeploymentPaused",
      message: "Deployment is paused",
    });
    expect((await apps.listNamespacedReplicaSet({ namespace: "shop" })).items).toHaveLength(1);
    const status = deploymentRolloutStatus(paused as never);
    expect(status).toMatchObject({ done: false, failed: false, paused: true });
    expect(status.message).toBe('Paused: Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...');

    await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: { spec: { paused: false } } }, merge());
    await sim.clock.advance(0);
    const resumed = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(["DeploymentResumed", "NewReplicaSetCreated", "ReplicaSetUpdated"]).toContain(
      resumed.status?.conditions?.find((c) => c.type === "Progressing")?.reason,
    );
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    const done = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(done.status?.conditions?.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
    expect(done.metadata?.annotations?.[REVISION]).toBe("2");
  });

  it("treats a restartedAt annotation as a new rollout and replaces every pod", async () => {
    sim = await startSim();
    const { apps, core } = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "web:1", replicas: 2 }]);
    const before = (await core.listNamespacedPod({ namespace: "shop" })).items.map((p) => p.metadata?.name);
    const restartedAt = new Date(sim.clock.now()).toISOString();
    await apps.patchNamespacedDeployment(
      { name: "web", namespace: "shop", body: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": restartedAt } } } } } },
      strategic(),
    );
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    await sim.clock.advance(5000);
    const after = (await core.listNamespacedPod({ namespace: "shop" })).items;
    expect(after).toHaveLength(2);
    expect(after.some((p) => before.includes(p.metadata?.name))).toBe(false);
    expect(after.every((p) => p.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"] === restartedAt)).toBe(true);
    expect((await apps.readNamespacedDeployment({ name: "web", namespace: "shop" })).metadata?.annotations?.[REVISION]).toBe("2");
  });

  it("scales down by deleting pods, which terminate before they disappear", async () => {
    sim = await startSim({ podTerminationDelayMs: 2000 });
    const { apps, core } = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "web:1", replicas: 4 }]);
    await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: { spec: { replicas: 1 } } }, merge());
    await sim.clock.advance(0);
    const terminating = (await core.listNamespacedPod({ namespace: "shop" })).items.filter((p) => p.metadata?.deletionTimestamp);
    expect(terminating).toHaveLength(3);
    await sim.clock.advance(3000);
    expect((await core.listNamespacedPod({ namespace: "shop" })).items).toHaveLength(1);
    const rs = (await apps.listNamespacedReplicaSet({ namespace: "shop" })).items[0];
    const events = (await core.listNamespacedEvent({ namespace: "shop" })).items;
    expect(events.some((e) => e.reason === "ScalingReplicaSet" && e.message === `Scaled down replica set ${rs?.metadata?.name} to 1 from 4`)).toBe(true);
    expect(events.filter((e) => e.reason === "SuccessfulDelete" && e.involvedObject.kind === "ReplicaSet")).toHaveLength(3);
    expect(events.filter((e) => e.reason === "Killing")).toHaveLength(3);
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(d.status).toMatchObject({ replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
  });

  it("counts a pod as available only after minReadySeconds", async () => {
    sim = await startSim({ podReadyDelayMs: 3000 });
    const { apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("web", "shop", "web:1", { replicas: 2, minReadySeconds: 10 })]);
    await sim.clock.advance(4000);
    let d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(d.status).toMatchObject({ readyReplicas: 2, updatedReplicas: 2 });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
    expect(deploymentRolloutStatus(d as never).message).toBe('Waiting for deployment "web" rollout to finish: 0 of 2 updated replicas are available...');
    await sim.clock.advance(10_000);
    d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    expect(d.status?.availableReplicas).toBe(2);
  });

  it("Recreate stops every old pod before starting new ones", async () => {
    sim = await startSim();
    const { apps, kc } = clientsFor(sim);
    await sim.apply([deploymentManifest("web", "shop", "web:1", { replicas: 3, strategy: { type: "Recreate" } })]);
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    const w = await watchEvents(kc, "/api/v1/namespaces/shop/pods");
    await settle(50);
    const initial = w.events.length;
    await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage("web:2") }, strategic());
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    await settle(100);
    w.stop();
    const pods = new Map<string, string>();
    let overlap = false;
    for (const e of w.events.slice(initial)) {
      if (e.type === "DELETED") pods.delete(e.object.metadata.name);
      else pods.set(e.object.metadata.name, e.object.spec.containers[0].image);
      if (new Set(pods.values()).size > 1) overlap = true;
    }
    expect(overlap).toBe(false);
    expect([...pods.values()]).toEqual(["web:2", "web:2", "web:2"]);
  });

  it("emits the events a cluster emits during a rollout", async () => {
    sim = await startSim();
    const { apps, core } = clientsFor(sim);
    await sim.apply([deploymentManifest("web", "shop", "registry.local/web:1", { replicas: 2 })]);
    await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    const rs = (await apps.listNamespacedReplicaSet({ namespace: "shop" })).items[0]!;
    const pod = (await core.listNamespacedPod({ namespace: "shop" })).items[0]!;
    const events = (await core.listNamespacedEvent({ namespace: "shop" })).items;
    const about = (kind: string, name?: string) => events.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);

    const scaling = about("Deployment", "web");
    expect(scaling).toHaveLength(1);
    expect(scaling[0]).toMatchObject({
      type: "Normal",
      reason: "ScalingReplicaSet",
      message: `Scaled up replica set ${rs.metadata?.name} to 2`,
      count: 1,
      source: { component: "deployment-controller" },
      involvedObject: { kind: "Deployment", name: "web", namespace: "shop", uid: d.metadata?.uid, apiVersion: "apps/v1" },
    });
    expect(scaling[0]?.firstTimestamp).toBeInstanceOf(Date);
    expect(about("ReplicaSet", rs.metadata?.name).map((e) => e.reason)).toEqual(["SuccessfulCreate", "SuccessfulCreate"]);
    expect(about("ReplicaSet", rs.metadata?.name)[0]?.source?.component).toBe("replicaset-controller");
    const podEvents = about("Pod", pod.metadata?.name);
    expect(podEvents.map((e) => e.reason).sort()).toEqual(["Created", "Pulled", "Pulling", "Scheduled", "Started"]);
    expect(podEvents.find((e) => e.reason === "Scheduled")).toMatchObject({
      source: { component: "default-scheduler" },
      message: `Successfully assigned shop/${pod.metadata?.name} to ${pod.spec?.nodeName}`,
    });
    expect(podEvents.find((e) => e.reason === "Pulling")).toMatchObject({
      message: 'Pulling image "registry.local/web:1"',
      source: { component: "kubelet", host: pod.spec?.nodeName },
      involvedObject: { fieldPath: "spec.containers{app}" },
    });
    expect(podEvents.find((e) => e.reason === "Started")?.message).toBe("Started container app");
  });

  describe("kubectl rollout status messages", () => {
    async function messagesDuringRollout(strategy: unknown, replicas = 3): Promise<string[]> {
      sim = await startSim();
      const { kc, apps } = clientsFor(sim);
      await sim.seedWorkloads([{ namespace: "shop", name: "web", image: "web:1", replicas }]);
      await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: { spec: { strategy } } }, merge());
      await sim.clock.advance(0);
      const w = await watchEvents(kc, "/apis/apps/v1/namespaces/shop/deployments", { fieldSelector: "metadata.name=web" });
      await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage("web:2") }, strategic());
      await advanceUntil(sim, () => rolledOut(sim, "shop", "web"), 120_000, 250);
      await settle(100);
      w.stop();
      const messages: string[] = [];
      for (const e of w.events) {
        const m = deploymentRolloutStatus(e.object).message;
        if (messages[messages.length - 1] !== m) messages.push(m);
      }
      return messages.slice(messages.indexOf("Waiting for deployment spec update to be observed..."));
    }

    it("surge-only rollout: new replicas, then old replicas pending termination", async () => {
      const messages = await messagesDuringRollout({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
      expect(messages).toEqual([
        "Waiting for deployment spec update to be observed...",
        'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
        'deployment "web" successfully rolled out',
      ]);
    });

    it("unavailable-only rollout: updated replicas becoming available", async () => {
      const messages = await messagesDuringRollout({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
      expect(messages[0]).toBe("Waiting for deployment spec update to be observed...");
      expect(messages).toContain('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
      expect(messages[messages.length - 1]).toBe('deployment "web" successfully rolled out');
      const order = (m: string) =>
        m.includes("spec update") ? 0 : m.includes("new replicas") ? 1 : m.includes("pending termination") ? 2 : m.includes("are available") ? 3 : 4;
      const ranks = messages.map(order);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    });

    it("reports a rollout that exceeded its progress deadline as failed", async () => {
      sim = await startSim();
      const { apps } = clientsFor(sim);
      await sim.apply([deploymentManifest("web", "shop", "web:1", { replicas: 2, progressDeadlineSeconds: 30 })]);
      await advanceUntil(sim, () => rolledOut(sim, "shop", "web"));
      await apps.patchNamespacedDeployment({ name: "web", namespace: "shop", body: setImage("web:2-crashloop") }, strategic());
      await sim.clock.advance(25_000);
      let d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
      expect(deploymentRolloutStatus(d as never).failed).toBe(false);
      await sim.clock.advance(10_000);
      d = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
      const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
      expect(progressing).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
      expect(progressing?.message).toMatch(/^ReplicaSet "web-\w+" has timed out progressing\.$/);
      expect(deploymentRolloutStatus(d as never)).toEqual({
        done: false,
        failed: true,
        paused: false,
        message: 'deployment "web" exceeded its progress deadline',
      });
      // The old pods keep serving: maxUnavailable 25% of 2 rounds down to 0.
      expect(d.status?.availableReplicas).toBe(2);
      expect(d.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({ status: "True", reason: "MinimumReplicasAvailable" });
    });
  });
});
