import { afterAll, describe, expect, it } from "vitest";
import { clusterRegistry, getServiceRuntime } from "../../../server/cluster";
import { startDemoClusters, type DemoClusters } from "../../../server/demo/demo-clusters";

describe("the embedded default's clusters", () => {
  let demo: DemoClusters | undefined;
  afterAll(async () => demo?.stop());

  it("start two real-time simulators, install them as the registry, and show some live trouble in staging", async () => {
    demo = await startDemoClusters();
    const registry = clusterRegistry();
    expect(registry.environments.map((e) => [e.name, e.production])).toEqual([
      ["staging", false],
      ["production", true],
    ]);
    expect(registry.clusters.map((c) => `${c.name}@${c.environment}`)).toEqual(["staging@staging", "production@production"]);

    const canary = await getServiceRuntime({ name: "card-processing", annotations: { "backstage.io/kubernetes-id": "card-processing", "backstage.io/kubernetes-namespace": "cards" } });
    const [staging, production] = canary.environments.map((e) => e.clusters[0]!.workloads[0]!);
    expect(staging!.workload.kind).toBe("Rollout");
    expect(staging!.targetVersion).not.toBeNull();
    expect(production!.runningVersion!.tag).not.toBe(staging!.runningVersion!.tag);

    const broken = await getServiceRuntime({ name: "email-sender", annotations: { "backstage.io/kubernetes-id": "email-sender", "backstage.io/kubernetes-namespace": "notifications" } });
    expect(broken.environments[0]!.clusters[0]!.workloads[0]!.targetVersion!.tag).toMatch(/^\d+\.\d+\.0$/);
  });
});
