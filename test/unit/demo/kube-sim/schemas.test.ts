import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { APIGroupList } from "@kubernetes-models/apimachinery/apis/meta/v1/APIGroupList";
import { APIResourceList } from "@kubernetes-models/apimachinery/apis/meta/v1/APIResourceList";
import { Status } from "@kubernetes-models/apimachinery/apis/meta/v1/Status";
import { Deployment, ReplicaSet } from "kubernetes-models/apps/v1";
import { Event, Namespace, Node, Pod } from "kubernetes-models/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeSim } from "@/server/demo/kube-sim";
import { clientsFor, deploymentManifest, merge, rawRequest, ROLLOUTS, startSim, strategic } from "./helpers";

// Everything the simulator serves must pass the real OpenAPI schemas (kubernetes-models validates with them).
const MODELS: Record<string, (o: any) => { validate(): void }> = {
  Namespace: (o) => new Namespace(o),
  Node: (o) => new Node(o),
  Pod: (o) => new Pod(o),
  Event: (o) => new Event(o),
  Deployment: (o) => new Deployment(o),
  ReplicaSet: (o) => new ReplicaSet(o),
  Rollout: (o) => new Rollout(o),
};

const LISTS: Array<[string, string, string]> = [
  ["Namespace", "v1", "/api/v1/namespaces"],
  ["Node", "v1", "/api/v1/nodes"],
  ["Pod", "v1", "/api/v1/pods"],
  ["Event", "v1", "/api/v1/events"],
  ["Deployment", "apps/v1", "/apis/apps/v1/deployments"],
  ["ReplicaSet", "apps/v1", "/apis/apps/v1/replicasets"],
  ["Rollout", "argoproj.io/v1alpha1", "/apis/argoproj.io/v1alpha1/rollouts"],
];

describe("kube-sim objects validate against the Kubernetes and Argo Rollouts schemas", () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startSim({ podTerminationDelayMs: 60_000 });
    await sim.seedWorkloads([
      { namespace: "shop", name: "web", image: "registry.local/web:1.0", replicas: 3 },
      { namespace: "shop", name: "api", image: "registry.local/api:1.0", replicas: 4, kind: "Rollout" },
    ]);
    const { apps, custom } = clientsFor(sim);
    await sim.apply([
      deploymentManifest("crashy", "shop", "registry.local/crashy:crashloop", { replicas: 1 }),
      deploymentManifest("stuck", "shop", "registry.local/stuck:never-ready", { replicas: 1 }),
    ]);
    await apps.patchNamespacedDeployment(
      { name: "web", namespace: "shop", body: { spec: { template: { spec: { containers: [{ name: "app", image: "registry.local/web:1.1" }] } } } } },
      strategic(),
    );
    await custom.patchNamespacedCustomObject(
      {
        ...ROLLOUTS,
        namespace: "shop",
        name: "api",
        body: { spec: { template: { spec: { containers: [{ name: "app", image: "registry.local/api:1.1" }] } } } },
      },
      merge(),
    );
    // Mid-rollout, crash loops in back-off, readiness failing, pods terminating.
    await sim.clock.advance(40_000);
  });

  afterAll(async () => {
    await sim.stop();
  });

  it.each(LISTS)("every %s served in a list is valid", async (kind, apiVersion, path) => {
    const res = await rawRequest(sim, path);
    expect(res.status).toBe(200);
    const list = res.json();
    expect(list.kind).toBe(`${kind}List`);
    expect(typeof list.metadata.resourceVersion).toBe("string");
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) {
      const object = { apiVersion, kind, ...item };
      expect(() => MODELS[kind]!(object).validate(), `${kind} ${item.metadata.name}`).not.toThrow();
    }
  });

  it("single objects and watch events are valid too", async () => {
    const pods = (await rawRequest(sim, "/api/v1/namespaces/shop/pods")).json();
    const name = pods.items[0].metadata.name;
    const pod = (await rawRequest(sim, `/api/v1/namespaces/shop/pods/${name}`)).json();
    expect(pod.kind).toBe("Pod");
    expect(() => new Pod(pod).validate()).not.toThrow();
    const rollout = (await rawRequest(sim, "/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/api")).json();
    expect(() => new Rollout(rollout).validate()).not.toThrow();
    const watch = await rawRequest(sim, "/apis/apps/v1/namespaces/shop/deployments?watch=true&timeoutSeconds=1");
    const events = watch.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.type).toBe("ADDED");
      expect(() => new Deployment(e.object).validate()).not.toThrow();
    }
  });

  it("errors are Status objects and discovery documents are valid", async () => {
    const missing = await rawRequest(sim, "/apis/apps/v1/namespaces/shop/deployments/nope");
    expect(missing.status).toBe(404);
    expect(() => new Status(missing.json()).validate()).not.toThrow();
    const groups = (await rawRequest(sim, "/apis")).json();
    expect(() => new APIGroupList(groups).validate()).not.toThrow();
    for (const path of ["/api/v1", "/apis/apps/v1", "/apis/argoproj.io/v1alpha1"]) {
      const doc = (await rawRequest(sim, path)).json();
      expect(() => new APIResourceList(doc).validate()).not.toThrow();
    }
  });
});
