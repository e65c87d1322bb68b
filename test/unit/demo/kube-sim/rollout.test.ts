import { afterEach, describe, expect, it } from "vitest";
import { argoRolloutStatus } from "@/server/cluster/rollout-status";
import type { KubeSim } from "@/server/demo/kube-sim";
import { advanceUntil, clientsFor, merge, ROLLOUTS, startSim } from "./helpers";

type Clients = ReturnType<typeof clientsFor>;

const STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: "10s" } }];

async function getRollout(c: Clients, name = "api"): Promise<any> {
  return c.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name });
}

/** `kubectl argo rollouts promote [--full]`, patch for patch (cmd/promote/promote.go). */
async function promote(c: Clients, name: string, full = false): Promise<void> {
  const ro = await getRollout(c, name);
  let statusPatch: object | undefined;
  let specPatch: object | undefined;
  if (full) {
    if (ro.status?.currentPodHash !== ro.status?.stableRS) statusPatch = { status: { promoteFull: true } };
  } else {
    if (ro.spec.paused) specPatch = { spec: { paused: false } };
    if ((ro.status?.pauseConditions ?? []).length > 0) statusPatch = { status: { pauseConditions: null } };
    else {
      let index = ro.status?.currentStepIndex ?? 0;
      if (index < ro.spec.strategy.canary.steps.length) index++;
      statusPatch = { status: { pauseConditions: null, currentStepIndex: index } };
    }
  }
  if (statusPatch) await c.custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace: "shop", name, body: statusPatch }, merge());
  if (specPatch) await c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name, body: specPatch }, merge());
}

async function replicaSets(c: Clients): Promise<Record<string, { spec: number; available: number }>> {
  const list = await c.apps.listNamespacedReplicaSet({ namespace: "shop", labelSelector: "app=api" });
  const out: Record<string, { spec: number; available: number }> = {};
  for (const rs of list.items)
    out[rs.metadata!.labels!["rollouts-pod-template-hash"]!] = { spec: rs.spec?.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 };
  return out;
}

async function setImage(c: Clients, image: string): Promise<void> {
  await c.custom.patchNamespacedCustomObject(
    { ...ROLLOUTS, namespace: "shop", name: "api", body: { spec: { template: { spec: { containers: [{ name: "app", image }] } } } } },
    merge(),
  );
}

describe("kube-sim Argo Rollouts canary controller", { timeout: 30_000 }, () => {
  let sim: KubeSim;
  let c: Clients;

  afterEach(async () => {
    await sim.stop();
  });

  async function start(): Promise<{ stable: string }> {
    sim = await startSim();
    c = clientsFor(sim);
    await sim.seedWorkloads([{ namespace: "shop", name: "api", image: "shop/api:1", replicas: 5, kind: "Rollout", canarySteps: STEPS }]);
    const ro = await getRollout(c);
    return { stable: ro.status.stableRS };
  }

  it("starts Healthy with every step done and a string observedGeneration", async () => {
    const { stable } = await start();
    const ro = await getRollout(c);
    expect(ro.status).toMatchObject({
      phase: "Healthy",
      currentStepIndex: 4,
      currentPodHash: stable,
      observedGeneration: "1",
      replicas: 5,
      availableReplicas: 5,
    });
    const rs = (await c.apps.listNamespacedReplicaSet({ namespace: "shop" })).items[0]!;
    expect(rs.metadata?.name).toBe(`api-${stable}`);
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      name: "api",
      uid: ro.metadata.uid,
      controller: true,
    });
    expect(rs.spec?.selector.matchLabels).toEqual({ app: "api", "rollouts-pod-template-hash": stable });
    expect(argoRolloutStatus(ro)).toMatchObject({ done: true, phase: "Healthy", message: "Healthy", step: { index: 4, count: 4 } });
  });

  it("walks the canary steps: setWeight, pause until promoted, timed pause, then promotes the new ReplicaSet", async () => {
    const { stable } = await start();
    await setImage(c, "shop/api:2");
    let ro = await getRollout(c);
    expect(argoRolloutStatus(ro).message).toBe("Progressing - waiting for rollout spec update to be observed");

    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Paused");
    ro = await getRollout(c);
    const canary = ro.status.currentPodHash;
    expect(canary).not.toBe(stable);
    expect(ro.status).toMatchObject({ currentStepIndex: 1, controllerPause: true, message: "CanaryPauseStep", stableRS: stable, observedGeneration: "2" });
    expect(ro.status.pauseConditions).toEqual([{ reason: "CanaryPauseStep", startTime: expect.any(String) }]);
    expect(await replicaSets(c)).toEqual({ [stable]: { spec: 4, available: 4 }, [canary]: { spec: 1, available: 1 } });
    expect(argoRolloutStatus(ro)).toMatchObject({ paused: true, message: "Paused - CanaryPauseStep", setWeight: 20, actualWeight: 20 });

    // Nothing moves while paused.
    await sim.clock.advance(60_000);
    expect((await getRollout(c)).status.currentStepIndex).toBe(1);

    await promote(c, "api");
    ro = await getRollout(c);
    expect(ro.status.pauseConditions).toBeUndefined();
    expect(argoRolloutStatus(ro).message).toBe("Progressing - waiting for rollout to unpause");
    await advanceUntil(sim, async () => (await getRollout(c)).status.currentStepIndex === 3);
    ro = await getRollout(c);
    expect(ro.status.phase).toBe("Paused");
    expect(await replicaSets(c)).toEqual({ [stable]: { spec: 2, available: 2 }, [canary]: { spec: 3, available: 3 } });

    // pause: {duration: 10s} continues by itself.
    await sim.clock.advance(9000);
    expect((await getRollout(c)).status.currentStepIndex).toBe(3);
    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Healthy", 60_000);
    ro = await getRollout(c);
    expect(ro.status).toMatchObject({ stableRS: canary, currentPodHash: canary, currentStepIndex: 4, replicas: 5, updatedReplicas: 5, availableReplicas: 5 });
    expect(await replicaSets(c)).toEqual({ [stable]: { spec: 0, available: 0 }, [canary]: { spec: 5, available: 5 } });

    const events = (await c.core.listNamespacedEvent({ namespace: "shop", fieldSelector: "involvedObject.kind=Rollout" })).items;
    const messages = events.map((e) => e.message);
    expect(messages).toContain("Rollout step 1/4 completed (setWeight: 20)");
    expect(messages).toContain("Rollout step 2/4 completed (pause)");
    expect(messages).toContain("Rollout step 4/4 completed (pause: 10s)");
    expect(messages).toContain(`Rollout completed update to revision 2 (${canary}): Completed all 4 canary steps`);
    expect(events.every((e) => e.source?.component === "rollouts-controller")).toBe(true);
  });

  it("aborts back to stable (Degraded) and retries from the first step", async () => {
    const { stable } = await start();
    await setImage(c, "shop/api:2");
    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Paused");
    const canary = (await getRollout(c)).status.currentPodHash;

    await c.custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace: "shop", name: "api", body: { status: { abort: true } } }, merge());
    await advanceUntil(sim, async () => (await replicaSets(c))[stable]?.available === 5);
    let ro = await getRollout(c);
    expect(ro.status).toMatchObject({
      abort: true,
      phase: "Degraded",
      message: "RolloutAborted: Rollout aborted update to revision 2",
      currentStepIndex: 0,
      stableRS: stable,
    });
    expect(ro.status.abortedAt).toEqual(expect.any(String));
    expect(ro.status.pauseConditions).toBeUndefined();
    expect(await replicaSets(c)).toEqual({ [stable]: { spec: 5, available: 5 }, [canary]: { spec: 0, available: 0 } });
    expect(argoRolloutStatus(ro)).toMatchObject({ failed: true, done: false, setWeight: 0 });

    await c.custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace: "shop", name: "api", body: { status: { abort: false } } }, merge());
    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Paused");
    ro = await getRollout(c);
    expect(ro.status.abort).toBeUndefined();
    expect(ro.status.abortedAt).toBeUndefined();
    expect(ro.status.currentStepIndex).toBe(1);
    expect(await replicaSets(c)).toEqual({ [stable]: { spec: 4, available: 4 }, [canary]: { spec: 1, available: 1 } });
  });

  it("promote --full skips the remaining steps", async () => {
    const { stable } = await start();
    await setImage(c, "shop/api:2");
    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Paused");
    await promote(c, "api", true);
    expect((await getRollout(c)).status.promoteFull).toBe(true);
    await advanceUntil(sim, async () => (await getRollout(c)).status.phase === "Healthy");
    const ro = await getRollout(c);
    expect(ro.status.stableRS).toBe(ro.status.currentPodHash);
    expect(ro.status.stableRS).not.toBe(stable);
    expect(ro.status.promoteFull).toBeUndefined();
    expect(ro.status.currentStepIndex).toBe(4);
  });

  it("promotes a rollout that is between steps by moving currentStepIndex, and honours spec.paused", async () => {
    await start();
    await c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "api", body: { spec: { paused: true } } }, merge());
    await setImage(c, "shop/api:2");
    await sim.clock.advance(20_000);
    let ro = await getRollout(c);
    expect(ro.status).toMatchObject({ phase: "Paused", message: "manually paused" });
    expect(ro.status.currentStepIndex).toBe(0);
    await promote(c, "api");
    ro = await getRollout(c);
    expect(ro.spec.paused).toBe(false);
    expect(ro.status.currentStepIndex).toBe(1);
    await advanceUntil(sim, async () => ((await getRollout(c)).status.pauseConditions ?? []).length > 0);
    expect((await getRollout(c)).status).toMatchObject({ phase: "Paused", message: "CanaryPauseStep", currentStepIndex: 1 });
  });

  it("reports a canary whose pods never become ready as Degraded after the progress deadline", async () => {
    await start();
    await c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "api", body: { spec: { progressDeadlineSeconds: 30 } } }, merge());
    await setImage(c, "shop/api:2-never-ready");
    await sim.clock.advance(45_000);
    const ro = await getRollout(c);
    expect(ro.status.phase).toBe("Degraded");
    expect(ro.status.message).toMatch(/^ProgressDeadlineExceeded: ReplicaSet "api-\w+" has timed out progressing\.$/);
    expect(argoRolloutStatus(ro).failed).toBe(true);
  });

  it("creates a Rollout through the API and deploys it at once (initial deploy skips the steps)", async () => {
    sim = await startSim();
    c = clientsFor(sim);
    await c.core.createNamespace({ body: { metadata: { name: "shop" } } });
    await c.custom.createNamespacedCustomObject({
      ...ROLLOUTS,
      namespace: "shop",
      body: {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: { name: "api" },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: "api" } },
          template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "app", image: "shop/api:1" }] } },
          strategy: { canary: { steps: STEPS } },
        },
      },
    });
    await advanceUntil(sim, async () => (await getRollout(c)).status?.phase === "Healthy");
    const ro = await getRollout(c);
    expect(ro.status.currentStepIndex).toBe(4);
    expect(ro.metadata.annotations["rollout.argoproj.io/revision"]).toBe("1");
  });
});
