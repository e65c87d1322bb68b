import { AppsV1Api, KubeConfig } from "@kubernetes/client-node";
import { beforeEach, describe, expect, it } from "vitest";
import type { KubeClusterGateway } from "../../../server/cluster/kube-gateway";
import type { WorkloadRef } from "../../../server/cluster/types";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { ConflictError, NotFoundError } from "../../../server/shared/errors";
import { gatewayFor, startSim, stopSimsAfterAll } from "./fixture";

const REG = "registry.example";
const deploymentRef: WorkloadRef = { cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" };
const rolloutRef: WorkloadRef = { cluster: "staging", kind: "Rollout", namespace: "cards", name: "card-processing" };

function withSidecar(kind: "Deployment" | "Rollout", name: string, image: string) {
  const template = {
    metadata: { labels: { app: name } },
    spec: {
      containers: [
        { name: "app", image },
        { name: "envoy", image: "envoyproxy/envoy:v1.30.1" },
      ],
    },
  };
  return kind === "Deployment"
    ? { apiVersion: "apps/v1", kind, metadata: { name, namespace: "cards" }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template } }
    : {
        apiVersion: "argoproj.io/v1alpha1",
        kind,
        metadata: { name, namespace: "cards" },
        spec: { replicas: 4, selector: { matchLabels: { app: name } }, template, strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } },
      };
}

function appsApi(sim: KubeSim): AppsV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  return kc.makeApiClient(AppsV1Api);
}

describe("workload actions through the gateway", () => {
  stopSimsAfterAll();
  let sim: KubeSim;
  let gw: KubeClusterGateway;
  const settle = async () => {
    await sim.clock.advance(60_000);
  };
  const rollTo = async (ref: WorkloadRef, tag: string) => {
    await gw.setImage(ref, "app", `${REG}/${ref.name}:${tag}`);
    await settle();
  };

  beforeEach(async () => {
    sim = await startSim();
    await sim.apply([
      withSidecar("Deployment", "card-api", `${REG}/card-api:1.0.0`),
      withSidecar("Rollout", "card-processing", `${REG}/card-processing:1.0.0`),
    ]);
    await settle();
    gw = gatewayFor(sim);
  });

  it("changes a Deployment's image with a strategic merge patch that keeps the sidecar", async () => {
    const after = await gw.setImage(deploymentRef, "app", `${REG}/card-api:1.1.0`);
    expect(after.images.map((i) => i.image)).toEqual([`${REG}/card-api:1.1.0`, "envoyproxy/envoy:v1.30.1"]);
    await settle();
    expect((await gw.getWorkload(deploymentRef)).status.state).toBe("complete");
  });

  it("changes a Rollout's image with a merge patch of its pod template that keeps the sidecar", async () => {
    const after = await gw.setImage(rolloutRef, "app", `${REG}/card-processing:1.1.0`);
    expect(after.images.map((i) => i.image)).toEqual([`${REG}/card-processing:1.1.0`, "envoyproxy/envoy:v1.30.1"]);
  });

  it("refuses a container the workload does not have instead of adding one", async () => {
    await expect(gw.setImage(deploymentRef, "web", `${REG}/card-api:9.9.9`)).rejects.toThrow(NotFoundError);
    await expect(gw.setImage(deploymentRef, "web", `${REG}/card-api:9.9.9`)).rejects.toThrow('has no container "web" (it has app, envoy)');
    expect((await gw.getWorkload(deploymentRef)).images).toHaveLength(2);
  });

  it("undoes to the previous revision, and the reused ReplicaSet gets the next revision", async () => {
    await rollTo(deploymentRef, "1.1.0");
    await rollTo(deploymentRef, "1.2.0");
    expect((await gw.getWorkload(deploymentRef)).revision).toBe(3);
    const undone = await gw.undo(deploymentRef);
    expect(undone).toMatchObject({ skipped: false, toRevision: 2, message: "deployment.apps/card-api rolled back" });
    expect(undone.workload.images.map((i) => i.image)).toEqual([`${REG}/card-api:1.1.0`, "envoyproxy/envoy:v1.30.1"]);
    await settle();
    const replicaSets = (await gw.listReplicaSets({ namespace: "cards" })).filter((r) => r.ownerName === "card-api");
    expect(replicaSets.map((r) => [r.revision, r.images[0]!.tag]).sort()).toEqual([
      [1, "1.0.0"],
      [3, "1.2.0"],
      [4, "1.1.0"],
    ]);
    const workload = await gw.getWorkload(deploymentRef);
    expect(workload.revision).toBe(4);
    expect(workload.status.state).toBe("complete");
  });

  it("undoes to a chosen revision, skips when it already runs it, and names a missing one", async () => {
    await rollTo(deploymentRef, "1.1.0");
    expect((await gw.undo(deploymentRef, 1)).toRevision).toBe(1);
    await settle();
    expect((await gw.getWorkload(deploymentRef)).images[0]!.tag).toBe("1.0.0");
    const skipped = await gw.undo(deploymentRef, 3);
    expect(skipped).toMatchObject({ skipped: true, message: "deployment.apps/card-api skipped rollback (current template already matches revision 3)" });
    await expect(gw.undo(deploymentRef, 42)).rejects.toThrow("unable to find specified revision 42 in history");
  });

  it("restarts with kubectl's restartedAt annotation, and refuses while paused", async () => {
    const before = await gw.getWorkload(deploymentRef);
    const restarted = await gw.restart(deploymentRef);
    expect(restarted.generation).toBe(before.generation + 1);
    expect(restarted.images).toEqual(before.images);
    const raw = await appsApi(sim).readNamespacedDeployment({ name: "card-api", namespace: "cards" });
    expect(raw.spec!.template.metadata!.annotations!["kubectl.kubernetes.io/restartedAt"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await settle();
    expect((await gw.listReplicaSets({ namespace: "cards" })).filter((r) => r.ownerName === "card-api" && r.replicas.ready > 0)).toHaveLength(1);
    expect((await gw.getWorkload(deploymentRef)).revision).toBe(2);

    expect((await gw.setPaused(deploymentRef, true)).paused).toBe(true);
    await expect(gw.restart(deploymentRef)).rejects.toThrow(ConflictError);
    await expect(gw.undo(deploymentRef)).rejects.toThrow("you cannot rollback a paused deployment");
  });

  it("pauses and resumes a Deployment: a paused one holds its rollout", async () => {
    await gw.setPaused(deploymentRef, true);
    await sim.clock.advance(1000);
    await gw.setImage(deploymentRef, "app", `${REG}/card-api:2.0.0`);
    await settle();
    const held = await gw.getWorkload(deploymentRef);
    expect(held.status.state).toBe("paused");
    expect(held.replicas.updated).toBe(0);
    expect((await gw.setPaused(deploymentRef, false)).paused).toBe(false);
    await settle();
    expect((await gw.getWorkload(deploymentRef)).status).toEqual({ state: "complete", message: 'deployment "card-api" successfully rolled out' });
  });

  it("promotes, aborts and retries an Argo Rollout through its status subresource", async () => {
    await gw.setImage(rolloutRef, "app", `${REG}/card-processing:2.0.0`);
    await settle();
    expect((await gw.getWorkload(rolloutRef)).status.message).toBe("Paused - CanaryPauseStep");

    const aborted = await gw.abort(rolloutRef);
    expect(aborted.canary!.aborted).toBe(true);
    await settle();
    const degraded = await gw.getWorkload(rolloutRef);
    expect(degraded.status.state).toBe("failed");
    expect(degraded.status.message).toMatch(/^Degraded - RolloutAborted: /);

    await gw.retry(rolloutRef);
    await settle();
    expect((await gw.getWorkload(rolloutRef)).status.message).toBe("Paused - CanaryPauseStep");

    await gw.promote(rolloutRef, { full: false });
    await settle();
    const done = await gw.getWorkload(rolloutRef);
    expect(done.status).toEqual({ state: "complete", message: "Healthy" });
    expect(done.images[0]!.tag).toBe("2.0.0");
  });

  it("promotes a canary fully, skipping its remaining steps", async () => {
    await gw.setImage(rolloutRef, "app", `${REG}/card-processing:3.0.0`);
    await settle();
    await gw.promote(rolloutRef, { full: true });
    await settle();
    expect((await gw.getWorkload(rolloutRef)).status.message).toBe("Healthy");
    await expect(gw.promote(deploymentRef, { full: false })).rejects.toThrow("promote applies to Argo Rollouts");
  });
});
