import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeSim } from "@/server/demo/kube-sim";
import { apiError, clientsFor, deploymentManifest, jsonPatch, merge, rawRequest, ROLLOUTS, startSim, strategic } from "./helpers";

describe("kube-sim REST API", () => {
  let sim: KubeSim;
  let c: ReturnType<typeof clientsFor>;

  beforeAll(async () => {
    sim = await startSim();
    c = clientsFor(sim);
    await sim.apply([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }]);
  });

  afterAll(async () => {
    await sim.stop();
  });

  describe("discovery", () => {
    it("serves /version, /api and /apis like an apiserver", async () => {
      const version = (await rawRequest(sim, "/version")).json();
      expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
      expect((await rawRequest(sim, "/api")).json()).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
      const groups = (await rawRequest(sim, "/apis")).json();
      expect(groups.kind).toBe("APIGroupList");
      expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(["apps", "argoproj.io"]));
      const apps = groups.groups.find((g: { name: string }) => g.name === "apps");
      expect(apps.preferredVersion).toEqual({ groupVersion: "apps/v1", version: "v1" });
    });

    it("lists resources with verbs, scope, kinds and subresources", async () => {
      const apps = await c.apps.getAPIResources();
      const deployments = apps.resources.find((r) => r.name === "deployments");
      expect(deployments).toMatchObject({ namespaced: true, kind: "Deployment", shortNames: ["deploy"] });
      expect(deployments?.verbs).toEqual(expect.arrayContaining(["get", "list", "watch", "create", "update", "patch", "delete"]));
      expect(apps.resources.map((r) => r.name)).toEqual(
        expect.arrayContaining(["deployments/status", "deployments/scale", "replicasets", "replicasets/status"]),
      );
      const argo = (await rawRequest(sim, "/apis/argoproj.io/v1alpha1")).json();
      expect(argo.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["rollouts", "rollouts/status", "rollouts/scale"]));
      const core = (await rawRequest(sim, "/api/v1")).json();
      expect(core.resources.find((r: { name: string }) => r.name === "namespaces")).toMatchObject({ namespaced: false, kind: "Namespace" });
      expect(core.resources.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(["pods", "pods/log", "events", "nodes"]));
    });

    it("answers unknown paths with a NotFound Status", async () => {
      const res = await rawRequest(sim, "/apis/batch/v1/jobs");
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    });
  });

  describe("create, read, errors", () => {
    it("sets uid, creationTimestamp, generation and a global, increasing resourceVersion", async () => {
      const a = await c.apps.createNamespacedDeployment({ namespace: "shop", body: deploymentManifest("crud-a", "shop", "nginx:1.25") });
      const b = await c.apps.createNamespacedDeployment({ namespace: "shop", body: deploymentManifest("crud-b", "shop", "nginx:1.25") });
      expect(a.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(a.metadata?.creationTimestamp).toBeInstanceOf(Date);
      expect(a.metadata?.generation).toBe(1);
      expect(typeof a.metadata?.resourceVersion).toBe("string");
      expect(Number(b.metadata?.resourceVersion)).toBeGreaterThan(Number(a.metadata?.resourceVersion));
      // Defaults the apiserver applies.
      expect(a.spec?.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
      expect(a.spec?.revisionHistoryLimit).toBe(10);
      expect(a.spec?.progressDeadlineSeconds).toBe(600);
      expect(a.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe("IfNotPresent");
      const read = await c.apps.readNamespacedDeployment({ name: "crud-a", namespace: "shop" });
      expect(read.metadata?.uid).toBe(a.metadata?.uid);
    });

    it("returns NotFound, AlreadyExists and Invalid as Status objects", async () => {
      const missing = await apiError(c.apps.readNamespacedDeployment({ name: "nope", namespace: "shop" }));
      expect(missing.code).toBe(404);
      expect(missing.status).toMatchObject({
        kind: "Status",
        status: "Failure",
        reason: "NotFound",
        message: 'deployments.apps "nope" not found',
        details: { name: "nope", group: "apps", kind: "deployments" },
        code: 404,
      });
      const dup = await apiError(c.apps.createNamespacedDeployment({ namespace: "shop", body: deploymentManifest("crud-a", "shop", "nginx:1.25") }));
      expect(dup.code).toBe(409);
      expect(dup.status).toMatchObject({ reason: "AlreadyExists", message: 'deployments.apps "crud-a" already exists' });
      const bad = deploymentManifest("bad", "shop", "nginx");
      bad.spec.template.metadata.labels = { app: "other" };
      const invalid = await apiError(c.apps.createNamespacedDeployment({ namespace: "shop", body: bad }));
      expect(invalid.code).toBe(422);
      expect(invalid.status.reason).toBe("Invalid");
      expect(invalid.status.message).toContain('Deployment.apps "bad" is invalid: spec.template.metadata.labels');
      expect(invalid.status.details?.causes?.[0]?.field).toBe("spec.template.metadata.labels");
      const noNamespace = await apiError(c.apps.createNamespacedDeployment({ namespace: "ghost", body: deploymentManifest("x", "ghost", "nginx") }));
      expect(noNamespace.code).toBe(404);
      expect(noNamespace.status.message).toBe('namespaces "ghost" not found');
    });

    it("rejects a replace with a stale resourceVersion with 409 Conflict", async () => {
      const current = await c.apps.readNamespacedDeployment({ name: "crud-b", namespace: "shop" });
      const first = structuredClone(current);
      first.spec!.replicas = 5;
      const updated = await c.apps.replaceNamespacedDeployment({ name: "crud-b", namespace: "shop", body: first });
      expect(updated.metadata?.generation).toBe(2);
      const stale = structuredClone(current);
      stale.spec!.replicas = 7;
      const conflict = await apiError(c.apps.replaceNamespacedDeployment({ name: "crud-b", namespace: "shop", body: stale }));
      expect(conflict.code).toBe(409);
      expect(conflict.status).toMatchObject({
        reason: "Conflict",
        message:
          'Operation cannot be fulfilled on deployments.apps "crud-b": the object has been modified; please apply your changes to the latest version and try again',
      });
    });

    it("bumps generation on spec changes only", async () => {
      const before = await c.apps.readNamespacedDeployment({ name: "crud-a", namespace: "shop" });
      const labelled = await c.apps.patchNamespacedDeployment(
        { name: "crud-a", namespace: "shop", body: { metadata: { labels: { team: "checkout" } } } },
        merge(),
      );
      expect(labelled.metadata?.generation).toBe(before.metadata?.generation);
      expect(Number(labelled.metadata?.resourceVersion)).toBeGreaterThan(Number(before.metadata?.resourceVersion));
      const scaled = await c.apps.patchNamespacedDeployment({ name: "crud-a", namespace: "shop", body: { spec: { replicas: 2 } } }, merge());
      expect(scaled.metadata?.generation).toBe((before.metadata?.generation ?? 0) + 1);
      // Writing status through the main resource is ignored.
      const ignored = await c.apps.patchNamespacedDeployment({ name: "crud-a", namespace: "shop", body: { status: { replicas: 99 } } }, merge());
      expect(ignored.status?.replicas).not.toBe(99);
    });
  });

  describe("patches", () => {
    const withSidecar = () =>
      deploymentManifest("patchy", "shop", "shop/web:1", {
        containers: [
          { name: "app", image: "shop/web:1", env: [{ name: "A", value: "1" }] },
          { name: "proxy", image: "envoy:1.30" },
        ],
      });

    it("strategic merge patch merges containers by name and keeps the sidecar", async () => {
      await c.apps.createNamespacedDeployment({ namespace: "shop", body: { ...withSidecar(), metadata: { name: "patchy-smp", namespace: "shop" } } });
      const patched = await c.apps.patchNamespacedDeployment(
        {
          name: "patchy-smp",
          namespace: "shop",
          body: { spec: { template: { spec: { containers: [{ name: "app", image: "shop/web:2", env: [{ name: "B", value: "2" }] }] } } } },
        },
        strategic(),
      );
      const containers = patched.spec?.template.spec?.containers ?? [];
      expect(containers.map((x) => [x.name, x.image])).toEqual([
        ["app", "shop/web:2"],
        ["proxy", "envoy:1.30"],
      ]);
      expect(containers[0]?.env?.map((e) => e.name)).toEqual(["A", "B"]);
    });

    it("JSON merge patch with the same body replaces the list and drops the sidecar", async () => {
      await c.apps.createNamespacedDeployment({ namespace: "shop", body: { ...withSidecar(), metadata: { name: "patchy-merge", namespace: "shop" } } });
      const patched = await c.apps.patchNamespacedDeployment(
        { name: "patchy-merge", namespace: "shop", body: { spec: { template: { spec: { containers: [{ name: "app", image: "shop/web:2" }] } } } } },
        merge(),
      );
      expect(patched.spec?.template.spec?.containers.map((x) => x.name)).toEqual(["app"]);
    });

    it("strategic merge patch honours $patch: delete", async () => {
      const patched = await c.apps.patchNamespacedDeployment(
        { name: "patchy-smp", namespace: "shop", body: { spec: { template: { spec: { containers: [{ name: "proxy", $patch: "delete" }] } } } } },
        strategic(),
      );
      expect(patched.spec?.template.spec?.containers.map((x) => x.name)).toEqual(["app"]);
    });

    it("JSON patch applies operations and a failing test is 422 Invalid", async () => {
      const ok = await c.apps.patchNamespacedDeployment(
        {
          name: "crud-a",
          namespace: "shop",
          body: [
            { op: "test", path: "/spec/replicas", value: 2 },
            { op: "replace", path: "/spec/replicas", value: 4 },
            { op: "add", path: "/metadata/annotations", value: { owner: "team-a" } },
          ],
        },
        jsonPatch(),
      );
      expect(ok.spec?.replicas).toBe(4);
      expect(ok.metadata?.annotations?.owner).toBe("team-a");
      const failed = await apiError(
        c.apps.patchNamespacedDeployment(
          {
            name: "crud-a",
            namespace: "shop",
            body: [
              { op: "test", path: "/spec/replicas", value: 3 },
              { op: "replace", path: "/spec/replicas", value: 9 },
            ],
          },
          jsonPatch(),
        ),
      );
      expect(failed.code).toBe(422);
      expect(failed.status.reason).toBe("Invalid");
      expect((await c.apps.readNamespacedDeployment({ name: "crud-a", namespace: "shop" })).spec?.replicas).toBe(4);
    });

    it("a patch carrying a stale resourceVersion is a 409 Conflict", async () => {
      const res = await apiError(
        c.apps.patchNamespacedDeployment({ name: "crud-a", namespace: "shop", body: { metadata: { resourceVersion: "1" }, spec: { replicas: 1 } } }, merge()),
      );
      expect(res.code).toBe(409);
      expect(res.status.reason).toBe("Conflict");
    });

    it("rejects strategic merge patch on a custom resource with 415", async () => {
      await sim.apply([
        {
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Rollout",
          metadata: { name: "ro", namespace: "shop" },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: "ro" } },
            template: { metadata: { labels: { app: "ro" } }, spec: { containers: [{ name: "app", image: "ro:1" }] } },
            strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
          },
        },
      ]);
      const res = await apiError(
        c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "ro", body: { spec: { replicas: 2 } } }, strategic()),
      );
      expect(res.code).toBe(415);
      expect(res.status.reason).toBe("UnsupportedMediaType");
      const ok = (await c.custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "ro", body: { spec: { replicas: 2 } } }, merge())) as {
        spec: { replicas: number };
      };
      expect(ok.spec.replicas).toBe(2);
    });

    it("the status subresource changes only status; the main resource ignores status", async () => {
      const before = (await c.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "ro" })) as any;
      const viaMain = (await c.custom.patchNamespacedCustomObject(
        { ...ROLLOUTS, namespace: "shop", name: "ro", body: { status: { abort: true } } },
        merge(),
      )) as any;
      expect(viaMain.status?.abort).toBeUndefined();
      const viaStatus = (await c.custom.patchNamespacedCustomObjectStatus(
        { ...ROLLOUTS, namespace: "shop", name: "ro", body: { spec: { replicas: 9 }, status: { abort: true } } },
        merge(),
      )) as any;
      expect(viaStatus.status.abort).toBe(true);
      expect(viaStatus.spec.replicas).toBe(before.spec.replicas);
      expect(viaStatus.metadata.generation).toBe(before.metadata.generation);
      expect(typeof viaStatus.status.observedGeneration === "string" || viaStatus.status.observedGeneration === undefined).toBe(true);
    });

    it("updates of a custom resource need a resourceVersion", async () => {
      const current = (await c.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "ro" })) as any;
      delete current.metadata.resourceVersion;
      const res = await apiError(c.custom.replaceNamespacedCustomObject({ ...ROLLOUTS, namespace: "shop", name: "ro", body: current }));
      expect(res.code).toBe(422);
      expect(res.status.message).toContain("metadata.resourceVersion");
    });
  });

  describe("selectors and lists", () => {
    beforeAll(async () => {
      await sim.apply([
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "sel" } },
        ...[
          ["alpha", { tier: "web", env: "prod" }],
          ["beta", { tier: "api", env: "prod" }],
          ["gamma", { tier: "web", env: "staging" }],
          ["delta", { tier: "worker" }],
        ].map(([name, labels]) => {
          const m = deploymentManifest(name as string, "sel", "nginx", { replicas: 0 });
          return { ...m, metadata: { ...m.metadata, labels: { ...(labels as object), app: name as string } } };
        }),
      ]);
    });

    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await c.apps.listNamespacedDeployment({ namespace: "sel", labelSelector, fieldSelector })).items.map((d) => d.metadata?.name).sort();

    it("supports every label selector operator", async () => {
      expect(await names("tier=web")).toEqual(["alpha", "gamma"]);
      expect(await names("tier==web,env=prod")).toEqual(["alpha"]);
      expect(await names("tier!=web")).toEqual(["beta", "delta"]);
      expect(await names("tier in (api, worker)")).toEqual(["beta", "delta"]);
      expect(await names("env notin (prod)")).toEqual(["delta", "gamma"]);
      expect(await names("env")).toEqual(["alpha", "beta", "gamma"]);
      expect(await names("!env")).toEqual(["delta"]);
      const bad = await apiError(c.apps.listNamespacedDeployment({ namespace: "sel", labelSelector: "tier in" }));
      expect(bad.code).toBe(400);
    });

    it("supports field selectors and rejects unsupported ones", async () => {
      expect(await names(undefined, "metadata.name=beta")).toEqual(["beta"]);
      expect(await names(undefined, "metadata.name!=beta")).toEqual(["alpha", "delta", "gamma"]);
      const all = await c.apps.listDeploymentForAllNamespaces({ fieldSelector: "metadata.namespace=sel" });
      expect(all.items).toHaveLength(4);
      const bad = await apiError(c.apps.listNamespacedDeployment({ namespace: "sel", fieldSelector: "spec.replicas=0" }));
      expect(bad.code).toBe(400);
      expect(bad.status.message).toBe("field label not supported: spec.replicas");
    });

    it("filters events by involvedObject fields", async () => {
      await sim.apply([deploymentManifest("evented", "sel", "nginx", { replicas: 1 })]);
      const d = await c.apps.readNamespacedDeployment({ name: "evented", namespace: "sel" });
      const byName = await c.core.listNamespacedEvent({ namespace: "sel", fieldSelector: "involvedObject.name=evented,involvedObject.kind=Deployment" });
      expect(byName.items.length).toBeGreaterThan(0);
      expect(byName.items.every((e) => e.involvedObject.uid === d.metadata?.uid)).toBe(true);
      const byUid = await c.core.listNamespacedEvent({ namespace: "sel", fieldSelector: `involvedObject.uid=${d.metadata?.uid}` });
      expect(byUid.items.map((e) => e.metadata?.name).sort()).toEqual(byName.items.map((e) => e.metadata?.name).sort());
    });

    it("lists carry a resourceVersion and paginate with limit/continue", async () => {
      const first = await c.apps.listNamespacedDeployment({ namespace: "sel", limit: 2 });
      expect(first.metadata?.resourceVersion).toMatch(/^\d+$/);
      expect(first.items).toHaveLength(2);
      expect(first.metadata?.remainingItemCount).toBe(3);
      const second = await c.apps.listNamespacedDeployment({ namespace: "sel", limit: 2, _continue: first.metadata?._continue });
      const third = await c.apps.listNamespacedDeployment({ namespace: "sel", limit: 2, _continue: second.metadata?._continue });
      const all = [...first.items, ...second.items, ...third.items].map((d) => d.metadata?.name);
      expect(all).toEqual(["alpha", "beta", "delta", "evented", "gamma"]);
      expect(third.metadata?._continue).toBeUndefined();
    });
  });

  describe("scale, dry run and delete", () => {
    it("reads and writes the scale subresource", async () => {
      const scale = await c.apps.readNamespacedDeploymentScale({ name: "crud-a", namespace: "shop" });
      expect(scale.kind).toBe("Scale");
      expect(scale.status?.selector).toBe("app=crud-a");
      await c.apps.patchNamespacedDeploymentScale({ name: "crud-a", namespace: "shop", body: { spec: { replicas: 6 } } }, merge());
      expect((await c.apps.readNamespacedDeployment({ name: "crud-a", namespace: "shop" })).spec?.replicas).toBe(6);
    });

    it("dry-run writes change nothing", async () => {
      const dry = await c.apps.patchNamespacedDeployment({ name: "crud-a", namespace: "shop", dryRun: "All", body: { spec: { replicas: 1 } } }, merge());
      expect(dry.spec?.replicas).toBe(1);
      expect((await c.apps.readNamespacedDeployment({ name: "crud-a", namespace: "shop" })).spec?.replicas).toBe(6);
    });

    it("deleting a namespace marks it Terminating, empties it, then removes it", async () => {
      await sim.seedWorkloads([{ namespace: "temp", name: "web", image: "nginx", replicas: 2 }]);
      // The apiserver answers with the Namespace (client-node types it as a V1Status).
      const terminating = (await c.core.deleteNamespace({ name: "temp" })) as unknown as { status?: { phase?: string } };
      expect(terminating.status?.phase).toBe("Terminating");
      const refused = await apiError(c.apps.createNamespacedDeployment({ namespace: "temp", body: deploymentManifest("late", "temp", "nginx") }));
      expect(refused.code).toBe(403);
      expect(refused.status.message).toBe("unable to create new content in namespace temp because it is being terminated");
      await sim.clock.advance(1000);
      expect((await apiError(c.core.readNamespace({ name: "temp" }))).code).toBe(404);
      expect((await c.core.listPodForAllNamespaces({ fieldSelector: "metadata.namespace=temp" })).items).toHaveLength(0);
    });

    it("deleting a Deployment garbage-collects its ReplicaSets and pods", async () => {
      await sim.apply([deploymentManifest("doomed", "shop", "nginx", { replicas: 2 })]);
      await sim.clock.advance(5000);
      expect((await c.apps.listNamespacedReplicaSet({ namespace: "shop", labelSelector: "app=doomed" })).items).toHaveLength(1);
      const status = await c.apps.deleteNamespacedDeployment({ name: "doomed", namespace: "shop" });
      expect(status.status).toBe("Success");
      await sim.clock.advance(5000);
      expect((await c.apps.listNamespacedReplicaSet({ namespace: "shop", labelSelector: "app=doomed" })).items).toHaveLength(0);
      expect((await c.core.listNamespacedPod({ namespace: "shop", labelSelector: "app=doomed" })).items).toHaveLength(0);
      expect((await apiError(c.apps.readNamespacedDeployment({ name: "doomed", namespace: "shop" }))).code).toBe(404);
    });
  });
});
