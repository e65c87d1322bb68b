import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getServiceRuntime, setClusterRegistry } from "../../../server/cluster";
import { loadRunningVersions, unhealthyServices } from "../../../server/cluster/listed-versions";
import { demoComponents, demoVersions, startDemoClusters, type DemoClusters } from "../../../server/demo/demo-clusters";
import { seedDemo } from "../../../server/demo/seed";
import { deployStatus, eligibleApprovers } from "../../../server/releases";
import { environmentDrift } from "../../../components/releases/drift";
import { useTestDatabase } from "../../fixtures/database";

const registry = "registry.harbourbank.example";

/**
 * "What runs where" as the catalogue and the Deploys tab answer it, against the demo's seeded history and its
 * simulated clusters: a failed last rollout reads as failing (not "rolling out"), a cluster changed outside Slipway
 * shows as drift, and a checkpoint names the people who may approve it.
 */
describe("what runs where: health, drift and who may approve", () => {
  const db = useTestDatabase();
  let demo: DemoClusters | undefined;
  const services = demoComponents().filter((s) => ["card-api", "card-processing", "email-sender"].includes(s.name));

  beforeAll(async () => {
    demo = await startDemoClusters(services);
    setClusterRegistry(demo.registry);
  });
  afterAll(async () => {
    setClusterRegistry(null);
    await demo?.stop();
  });

  const runtimeOf = async (name: string) => {
    const service = services.find((s) => s.name === name)!;
    return getServiceRuntime({ name, annotations: service.annotations ?? {}, team: service.team ?? null });
  };

  it("marks an environment whose last rollout failed as failing, and lists the service as unhealthy", async () => {
    await seedDemo(db.current().prisma);
    const prisma = db.current().prisma;
    const before = await loadRunningVersions(["email-sender", "card-api"]);
    expect(before.versions["email-sender"]!.staging).toMatchObject({ health: "healthy", failedVersion: null });
    expect([...(await unhealthyServices())]).toEqual([]);

    // A new release crash-loops in staging: the rollout failed, the workload still says "progressing".
    const service = await prisma.service.findFirstOrThrow({ where: { kind: "component", name: "email-sender" } });
    const release = await prisma.release.create({
      data: { serviceId: service.id, version: "9.0.0", image: `${registry}/email-sender:9.0.0`, commitSha: "abcdef1234567", registeredBy: "ci" },
    });
    await prisma.rollout.create({
      data: {
        serviceId: service.id,
        environment: "staging",
        releaseId: release.id,
        kind: "deploy",
        state: "failed",
        requestedByName: "ci",
        failureReason: "New pods cannot start",
      },
    });
    // A later request that never reached the cluster does not hide the failure.
    await prisma.rollout.create({
      data: { serviceId: service.id, environment: "staging", releaseId: release.id, kind: "deploy", state: "cancelled", requestedByName: "ci" },
    });

    const after = await loadRunningVersions(["email-sender", "card-api"]);
    expect(after.versions["email-sender"]!.staging).toMatchObject({ health: "failing", failedVersion: "9.0.0" });
    expect(after.versions["email-sender"]!.production).toMatchObject({ health: "healthy" });
    expect(after.versions["card-api"]!.staging).toMatchObject({ health: "healthy" });
    expect([...(await unhealthyServices())]).toEqual(["email-sender"]);
  });

  it("shows drift when a cluster runs another image than the last successful rollout recorded", async () => {
    await seedDemo(db.current().prisma);
    const prisma = db.current().prisma;
    const recorded = (env: string) => deployStatus(prisma, "card-api").then((s) => s.environments.find((e) => e.environment === env)!);
    const production = await recorded("production");
    const live = async () => (await runtimeOf("card-api")).environments.find((e) => e.name === "production")!.clusters;
    // History and cluster agree after the seed.
    expect(production.running?.version).toBe(demoVersions("card-api").production);
    expect(environmentDrift(production.running, await live(), false)).toBeNull();

    // Someone runs `kubectl set image` in production, around Slipway.
    const hotfix = `${registry}/card-api:hotfix-1`;
    const res = await fetch(`${demo!.production.url}/apis/apps/v1/namespaces/cards/deployments/card-api`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${demo!.production.adminToken}`, "content-type": "application/strategic-merge-patch+json" },
      body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: "app", image: hotfix }] } } } }),
    });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await live())[0]?.workloads[0]?.runningVersion?.image, { timeout: 45_000, interval: 500 }).toBe(hotfix);

    const drift = environmentDrift(production.running, await live(), false);
    expect(drift).toEqual({
      recorded: { version: demoVersions("card-api").production, image: `${registry}/card-api:${demoVersions("card-api").production}`, digest: null },
      workloads: [{ cluster: "production", namespace: "cards", workload: "card-api", liveImage: hotfix }],
    });
    // While a rollout is in flight the difference is expected, not drift.
    expect(environmentDrift(production.running, await live(), true)).toBeNull();
  }, 60_000);

  it("names the approvers who may still approve: approver role and scope, never the requester or who already approved", async () => {
    await seedDemo(db.current().prisma);
    const prisma = db.current().prisma;
    const service = await prisma.service.findFirstOrThrow({ where: { kind: "component", name: "card-processing" }, select: { id: true, tier: true } });
    expect(service.tier).toBe(1);
    const release = await prisma.release.findFirstOrThrow({ where: { serviceId: service.id }, orderBy: { createdAt: "desc" } });
    const person = (name: string) => prisma.person.findUniqueOrThrow({ where: { name } });
    const [tom, daniel] = [await person("tom.hughes"), await person("daniel.mensah")];
    const rollout = await prisma.rollout.create({
      data: {
        serviceId: service.id,
        environment: "production",
        releaseId: release.id,
        kind: "deploy",
        state: "awaiting_approval",
        requestedById: daniel.id,
        requestedByName: daniel.name,
        approvalsRequired: 2,
        checkpoints: { create: { kind: "deploy", state: "awaiting_approval", approvalsRequired: 2 } },
      },
      include: { checkpoints: true },
    });
    // cards approvers: Tom, Daniel and James (who approves for every squad); Daniel asked, so not him. Mei and the
    // others approve only other squads.
    expect(await eligibleApprovers(prisma, rollout.id)).toEqual([
      { name: "james.oconnor", displayName: "James O'Connor" },
      { name: "tom.hughes", displayName: "Tom Hughes" },
    ]);
    await prisma.approval.create({
      data: { checkpointId: rollout.checkpoints[0]!.id, personId: tom.id, personName: tom.name, decision: "approve", comment: "ok" },
    });
    expect(await eligibleApprovers(prisma, rollout.id)).toEqual([{ name: "james.oconnor", displayName: "James O'Connor" }]);
    await prisma.checkpoint.update({ where: { id: rollout.checkpoints[0]!.id }, data: { state: "approved" } });
    expect(await eligibleApprovers(prisma, rollout.id)).toEqual([]);
  });
});
