import { beforeAll, describe, expect, it } from "vitest";
import { clusterRegistry } from "../../../server/cluster/cluster-registry";
import { getServiceRuntime, runningVersions } from "../../../server/cluster/runtime";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { cardApi, cardService, gatewayFor, installRegistry, startSim, stopSimsAfterAll } from "./fixture";

const REG = "registry.example";

describe("a service's runtime across environments", () => {
  stopSimsAfterAll();
  let staging: KubeSim;
  let production: KubeSim;

  beforeAll(async () => {
    staging = await startSim({}, [
      cardApi(`${REG}/card-api:1.2.0`),
      {
        namespace: "payments-core",
        name: "payments-gateway",
        image: `${REG}/payments-gateway:4.1.0`,
        replicas: 5,
        kind: "Rollout",
        labels: { "backstage.io/kubernetes-id": "payments" },
      },
    ]);
    production = await startSim({}, [cardApi(`${REG}/card-api:1.1.0`, { replicas: 4 })]);
    installRegistry(
      [
        { name: "staging", environment: "staging", sim: staging },
        { name: "production", environment: "production", sim: production },
      ],
      { watch: { lingerMs: 60_000 } },
    );
    // A bad release in staging: the new pods crash-loop.
    staging.setImageBehaviour(`${REG}/card-api:1.3.0`, "crashloop");
    await gatewayFor(staging).setImage({ cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" }, "app", `${REG}/card-api:1.3.0`);
    await staging.clock.advance(20_000);
  });

  it("shows per environment and cluster the running version, replicas, status, ReplicaSets, pods and events", async () => {
    const runtime = await getServiceRuntime(cardService);
    expect(runtime.mapping).toBe("label backstage.io/kubernetes-id=card-api in namespace cards");
    expect(runtime.errors).toEqual([]);
    expect(runtime.environments.map((e) => [e.name, e.production, e.clusters.map((c) => c.cluster)])).toEqual([
      ["staging", false, ["staging"]],
      ["production", true, ["production"]],
    ]);

    const prod = runtime.environments[1]!.clusters[0]!.workloads[0]!;
    expect(prod.runningVersion).toMatchObject({ container: "app", tag: "1.1.0", repository: `${REG}/card-api`, pods: 4 });
    expect(prod.runningVersion!.digest).toMatch(/^sha256:/);
    expect(prod.targetVersion).toBeNull();
    expect(prod.workload.status.state).toBe("complete");

    const stg = runtime.environments[0]!.clusters[0]!.workloads[0]!;
    expect(stg.runningVersion!.tag).toBe("1.2.0");
    expect(stg.targetVersion!.tag).toBe("1.3.0");
    expect(stg.workload.status).toMatchObject({ state: "progressing" });
    expect(stg.workload.status.message).toMatch(/^Waiting for deployment "card-api" rollout to finish: /);
    expect(stg.replicaSets.map((r) => [r.revision, r.images[0]!.tag])).toEqual([
      [2, "1.3.0"],
      [1, "1.2.0"],
    ]);
    const crashing = stg.pods.filter((p) => p.images[0]!.tag === "1.3.0");
    expect(crashing.length).toBeGreaterThan(0);
    expect(crashing.some((p) => p.waitingReason === "CrashLoopBackOff" || p.lastTermination?.reason === "Error")).toBe(true);
    expect(stg.pods[0]!.images[0]!.tag).toBe("1.3.0");
    expect(stg.events[0]!.type).toBe("Warning");
    expect(stg.events.some((e) => e.reason === "ScalingReplicaSet")).toBe(true);
  });

  it("finds a Rollout by explicit annotations and shows its canary", async () => {
    await gatewayFor(staging).setImage(
      { cluster: "staging", kind: "Rollout", namespace: "payments-core", name: "payments-gateway" },
      "app",
      `${REG}/payments-gateway:4.2.0`,
    );
    await staging.clock.advance(10_000);
    const runtime = await getServiceRuntime({
      name: "payments",
      team: "payments-core",
      annotations: { "slipway.io/workload-kind": "Rollout", "slipway.io/workload-name": "payments-gateway", "slipway.io/workload-namespace": "payments-core" },
    });
    const [w] = runtime.environments[0]!.clusters[0]!.workloads;
    expect(w!.workload.kind).toBe("Rollout");
    expect(w!.workload.status.message).toBe("Paused - CanaryPauseStep");
    expect(w!.workload.canary).toMatchObject({ weight: 20, currentStepIndex: 1, totalSteps: 4 });
    expect(w!.runningVersion!.tag).toBe("4.1.0");
    expect(w!.targetVersion!.tag).toBe("4.2.0");
    expect(runtime.environments[1]!.clusters[0]!.workloads).toEqual([]);
  });

  it("asks no cluster when the annotations are missing or invalid", async () => {
    const before = staging.requestCount() + production.requestCount();
    const none = await getServiceRuntime({ name: "docs", team: "docs", annotations: {} });
    expect(none.mapping).toBeNull();
    const bad = await getServiceRuntime({ name: "evil", team: "cards", annotations: { "backstage.io/kubernetes-label-selector": "app=x,watch=true&x" } });
    expect(bad.mappingError).toMatch(/invalid backstage.io\/kubernetes-label-selector annotation/);
    expect(staging.requestCount() + production.requestCount()).toBe(before);
  });

  it("gives the catalogue list each service's running version per environment from the caches", async () => {
    await runningVersions(["card-api"]);
    const before = staging.requestCount() + production.requestCount();
    const payments = { name: "payments", annotations: { "slipway.io/workload-name": "payments-gateway", "slipway.io/workload-namespace": "payments-core" } };
    const versions = await runningVersions(["card-api", cardService, payments, "payments-gateway", "unknown-service"]);
    expect(staging.requestCount() + production.requestCount()).toBe(before);
    expect(versions["card-api"]).toMatchObject({
      staging: { tag: "1.2.0", state: "progressing", clusters: ["staging"] },
      production: { tag: "1.1.0", state: "complete" },
    });
    expect(versions["payments"]!.staging!.tag).toBe("4.1.0");
    expect(versions["payments"]!.production).toBeNull();
    // Without annotations a name is taken as backstage.io/kubernetes-id, which this Rollout does not carry.
    expect(versions["payments-gateway"]).toEqual({ staging: null, production: null });
    expect(versions["unknown-service"]).toEqual({ staging: null, production: null });
    clusterRegistry().hub().stop();
  });
});
