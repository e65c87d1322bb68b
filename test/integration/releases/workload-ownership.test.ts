import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as rolloutsRoute from "../../../app/api/v1/rollouts/route";
import * as rolloutAction from "../../../app/api/v1/rollouts/[id]/[action]/route";
import * as operateRoute from "../../../app/api/v1/services/[name]/environments/[environment]/[action]/route";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import { clusterRegistry, setClusterRegistry } from "../../../server/cluster";
import { demoComponents, demoNamespaceOwners, demoWorkloads } from "../../../server/demo/demo-clusters";
import { startKubeSim, type KubeSim } from "../../../server/demo/kube-sim";
import { seedDemo } from "../../../server/demo/seed";
import { applyRollout, clusterRolloutBackend } from "../../../server/releases";
import { createSlipway } from "../../../server/composition";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

/**
 * The security review's attack: an engineer of one squad points her own service's Kubernetes annotations at another
 * squad's Deployment and then acts on it through her service. It must fail at import, at request and at every
 * operation, against a real Kubernetes API (the simulator) through the real gateway.
 */
const yaml = (name: string, annotations: Record<string, string>, owner = "cards", tier = "2") => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
${Object.entries({ ...annotations, "slipway.io/tier": tier })
  .map(([k, v]) => `    ${k}: "${v}"`)
  .join("\n")}
spec: { type: service, lifecycle: production, owner: ${owner} }
`;

describe("what belongs to a service is decided on the cluster side", () => {
  const db = useTestDatabase();
  let staging: KubeSim;
  let production: KubeSim;
  let amara: Caller; // engineer in cards
  let tom: Caller; // approver for cards
  const victim = { namespace: "payments-core", name: "faster-payments" }; // payments-core's Deployment

  beforeAll(async () => {
    const components = demoComponents();
    [staging, production] = await Promise.all([
      startKubeSim({ clock: "real", clusterName: "staging" }),
      startKubeSim({ clock: "real", clusterName: "production" }),
    ]);
    await staging.seedWorkloads(demoWorkloads(components, "staging"));
    await production.seedWorkloads(demoWorkloads(components, "production"));
    setClusterRegistry({
      environments: [{ name: "staging" }, { name: "production", production: true }],
      clusters: [
        { name: "staging", environment: "staging", connection: { server: staging.url, token: staging.adminToken }, timeoutSeconds: 5 },
        { name: "production", environment: "production", connection: { server: production.url, token: production.adminToken }, timeoutSeconds: 5 },
      ],
      namespaceOwners: demoNamespaceOwners(components),
    });
  });
  afterAll(async () => {
    createSlipway({ database: db.current(), releases: null });
    setClusterRegistry(null);
    await Promise.all([staging.stop(), production.stop()]);
  });
  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    createSlipway({ database: db.current(), releases: { backend: clusterRolloutBackend(), reconcile: false } });
    amara = await sessionFor(db.current(), "amara.okafor");
    tom = await sessionFor(db.current(), "tom.hughes");
  });

  const importAs = (caller: Caller, text: string) =>
    call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: text, contentType: "application/yaml" });
  const victimState = async () => {
    const w = await clusterRegistry()
      .gateway("production")!
      .getWorkload({ cluster: "production", kind: "Deployment", ...victim });
    return { generation: w.generation, paused: w.paused, images: w.images.map((i) => i.image) };
  };
  const operate = (caller: Caller, service: string, action: string) =>
    call(operateRoute.POST, {
      method: "POST",
      path: `/api/v1/services/${service}/environments/production/${action}`,
      caller,
      body: JSON.stringify({ reason: "trying" }),
      params: { name: service, environment: "production", action },
    });

  it("refuses at import a new service whose annotations reach another squad's workloads or id", async () => {
    const byName = await importAs(amara, yaml("card-tools", { "slipway.io/workload-name": victim.name, "slipway.io/workload-namespace": victim.namespace }));
    expect(byName.status).toBe(422);
    expect(JSON.stringify(byName.body.errors)).toMatch(/namespace payments-core is not one of cards's namespaces/);
    const byId = await importAs(amara, yaml("card-tools", { "backstage.io/kubernetes-id": victim.name }));
    expect(byId.status).toBe(422);
    expect(JSON.stringify(byId.body.errors)).toMatch(/kubernetes-id faster-payments belongs to faster-payments/);
    const bySelector = await importAs(amara, yaml("card-tools", { "backstage.io/kubernetes-label-selector": `backstage.io/kubernetes-id=${victim.name}` }));
    expect(bySelector.status).toBe(422);
    // An existing service's mapping is policy: its squad may not change it, an admin may (within the rules).
    const remap = await importAs(
      amara,
      yaml("card-api", { "backstage.io/kubernetes-id": "card-api", "backstage.io/kubernetes-label-selector": "backstage.io/kubernetes-id" }),
    );
    expect(remap.status).toBe(403);
    expect(remap.body.detail).toMatch(/needs an admin/);
    expect(await db.current().prisma.service.count({ where: { name: "card-tools" } })).toBe(0);
  });

  it("refuses the request and every operation when a stored mapping reaches beyond the service's own workloads", async () => {
    const before = await victimState();
    // However it got there (an old import, a mistake), a mapping that reaches another squad's workload acts on nothing.
    for (const annotations of [
      { "slipway.io/workload-name": victim.name, "slipway.io/workload-namespace": victim.namespace },
      { "backstage.io/kubernetes-label-selector": "backstage.io/kubernetes-id" }, // a bare key: every workload of the squad's namespaces
      { "backstage.io/kubernetes-id": victim.name, "backstage.io/kubernetes-namespace": victim.namespace },
    ]) {
      await db.current().prisma.service.update({ where: { kind_name: { kind: "component", name: "card-api" } }, data: { annotations } });
      const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
      const version = `9.${Object.keys(annotations).length}.${Math.floor(Math.random() * 1000)}`;
      await call(releasesRoute.POST, {
        method: "POST",
        path: "/api/v1/services/card-api/releases",
        caller: ci,
        params: { name: "card-api" },
        body: JSON.stringify({ version, image: `registry.harbourbank.example/card-api:${version}`, commitSha: "0123abcd" }),
      });
      const requested = await call(rolloutsRoute.POST, {
        method: "POST",
        path: "/api/v1/rollouts",
        caller: amara,
        body: JSON.stringify({ service: "card-api", environment: "production", version, reason: "attack" }),
      });
      expect(requested.status).toBe(403);
      expect(requested.body.detail).toMatch(/does not own/);
      for (const action of ["restart", "pause", "resume"]) {
        const operated = await operate(amara, "card-api", action);
        expect(operated.status, `${action} with ${JSON.stringify(annotations)}`).toBe(403);
        expect(operated.body.detail).toMatch(/not cards|labelled backstage\.io\/kubernetes-id=card-api/);
      }
    }
    expect(await victimState()).toEqual(before);
    const refusals = await db.current().prisma.auditEvent.count({ where: { action: "access.refused" } });
    expect(refusals).toBeGreaterThan(0);
  });

  it("rolls back only the workloads the rolled-back rollout patched, whatever the mapping says now", async () => {
    const before = await victimState();
    const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    const register = (version: string) =>
      call(releasesRoute.POST, {
        method: "POST",
        path: "/api/v1/services/card-api/releases",
        caller: ci,
        params: { name: "card-api" },
        body: JSON.stringify({ version, image: `registry.harbourbank.example/card-api:${version}`, commitSha: "0123abcd" }),
      });
    await register("7.0.0");
    await register("7.1.0");
    const deploy = async (version: string) => {
      const requested = await call(rolloutsRoute.POST, {
        method: "POST",
        path: "/api/v1/rollouts",
        caller: amara,
        body: JSON.stringify({ service: "card-api", environment: "production", version, reason: "r" }),
      });
      expect(requested.status).toBe(201);
      // The approval evidence names the workloads an approval lets Slipway patch.
      expect(requested.body.targets.map((t: { namespace: string; workloadName: string }) => `${t.namespace}/${t.workloadName}`)).toEqual(["cards/card-api"]);
      const id = requested.body.id as string;
      await call(rolloutAction.POST, {
        method: "POST",
        path: `/api/v1/rollouts/${id}/approve`,
        caller: tom,
        body: JSON.stringify({ comment: "ok" }),
        params: { id, action: "approve" },
      });
      expect(await applyRollout(db.current().prisma, clusterRolloutBackend(), id)).toBe("applied");
      await db.current().prisma.rollout.update({ where: { id }, data: { state: "succeeded", finishedAt: new Date() } });
      return id;
    };
    await deploy("7.0.0");
    const second = await deploy("7.1.0");

    await db.current().prisma.service.update({
      where: { kind_name: { kind: "component", name: "card-api" } },
      data: { annotations: { "slipway.io/workload-name": victim.name, "slipway.io/workload-namespace": victim.namespace } },
    });
    const back = await call(rolloutAction.POST, {
      method: "POST",
      path: `/api/v1/rollouts/${second}/rollback`,
      caller: amara,
      body: JSON.stringify({ reason: "bad" }),
      params: { id: second, action: "rollback" },
    });
    expect(back.status).toBe(201);
    expect(back.body.targets.map((t: { namespace: string; workloadName: string }) => `${t.namespace}/${t.workloadName}`)).toEqual(["cards/card-api"]);
    expect(await applyRollout(db.current().prisma, clusterRolloutBackend(), back.body.id)).toBe("applied");
    const cardApi = await clusterRegistry()
      .gateway("production")!
      .getWorkload({ cluster: "production", kind: "Deployment", namespace: "cards", name: "card-api" });
    expect(cardApi.images[0]!.image).toBe("registry.harbourbank.example/card-api:7.0.0");
    expect(await victimState()).toEqual(before);
  });

  it("lets a squad token register releases and drive staging, never request production", async () => {
    const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    const registered = await call(releasesRoute.POST, {
      method: "POST",
      path: "/api/v1/services/card-api/releases",
      caller: ci,
      params: { name: "card-api" },
      body: JSON.stringify({ version: "8.0.0", image: "registry.harbourbank.example/card-api:8.0.0", commitSha: "0123abcd" }),
    });
    expect(registered.status).toBe(201);
    expect(registered.body.autoRollouts).toHaveLength(1);
    const requested = await call(rolloutsRoute.POST, {
      method: "POST",
      path: "/api/v1/rollouts",
      caller: ci,
      body: JSON.stringify({ service: "card-api", environment: "production", version: "8.0.0", reason: "ci" }),
    });
    expect(requested.status).toBe(403);
    expect(requested.body.detail).toMatch(/requested by a person/);
    // A personal token acts for its creator, who answers for it.
    const personal = await tokenFor(db.current(), { person: "amara.okafor" }, ["releases:write"]);
    const asAmara = await call(rolloutsRoute.POST, {
      method: "POST",
      path: "/api/v1/rollouts",
      caller: personal,
      body: JSON.stringify({ service: "card-api", environment: "production", version: "8.0.0", reason: "ci" }),
    });
    expect(asAmara.status).toBe(201);
    expect(asAmara.body.requestedBy).toMatch(/amara/);
  });

  it("refuses at import metrics panels whose PromQL is malformed or unbounded", async () => {
    const bad = await importAs(
      amara,
      yaml("card-api", {
        "backstage.io/kubernetes-id": "card-api",
        "backstage.io/kubernetes-namespace": "cards",
        "prometheus.io/rule": "sum(rate(http_requests_total[30d])",
      }),
    );
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toMatch(/prometheus\.io\/rule/);
    const good = await importAs(
      amara,
      yaml("card-api", {
        "backstage.io/kubernetes-id": "card-api",
        "backstage.io/kubernetes-namespace": "cards",
        "prometheus.io/rule": "sum(rate(http_requests_total[5m]))",
      }),
    );
    expect(good.status).toBe(200);
  });
});
