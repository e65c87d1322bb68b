import { afterAll, describe, expect, it } from "vitest";
import { clusterRegistry, getServiceRuntime, setClusterRegistry } from "../../../server/cluster";
import { demoVersions, startDemoClusters, type DemoClusters } from "../../../server/demo/demo-clusters";

describe("the embedded default's clusters", () => {
  let demo: DemoClusters | undefined;
  afterAll(async () => {
    setClusterRegistry(null);
    await demo?.stop();
  });

  it("start two real-time simulators running every demo service, production behind staging", async () => {
    demo = await startDemoClusters();
    setClusterRegistry(demo.registry);
    const registry = clusterRegistry();
    expect(registry.environments.map((e) => [e.name, e.production])).toEqual([
      ["staging", false],
      ["production", true],
    ]);
    expect(registry.clusters.map((c) => `${c.name}@${c.environment}`)).toEqual(["staging@staging", "production@production"]);

    const canary = await getServiceRuntime({
      name: "card-processing",
      annotations: { "backstage.io/kubernetes-id": "card-processing", "backstage.io/kubernetes-namespace": "cards" },
      team: "cards",
    });
    const [staging, production] = canary.environments.map((e) => e.clusters[0]!.workloads[0]!);
    expect(staging!.workload.kind).toBe("Rollout");
    expect(staging!.runningVersion!.tag).toBe(demoVersions("card-processing").staging);
    expect(production!.runningVersion!.tag).toBe(demoVersions("card-processing").production);
    expect(production!.runningVersion!.tag).not.toBe(staging!.runningVersion!.tag);

    const plain = await getServiceRuntime({
      name: "email-sender",
      annotations: { "backstage.io/kubernetes-id": "email-sender", "backstage.io/kubernetes-namespace": "notifications" },
      team: "notifications",
    });
    const workload = plain.environments[0]!.clusters[0]!.workloads[0]!;
    expect(workload.workload.kind).toBe("Deployment");
    expect(workload.runningVersion!.tag).toBe(demoVersions("email-sender").staging);
  });
});
