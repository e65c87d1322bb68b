import { makeInformer, type V1Deployment } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import type { KubeSim } from "@/server/demo/kube-sim";
import { clientsFor, deploymentManifest, merge, rawRequest, settle, startSim, watchEvents } from "./helpers";

const PATH = "/apis/apps/v1/namespaces/shop/deployments";

describe("kube-sim watches", () => {
  let sim: KubeSim;

  afterEach(async () => {
    await sim.stop();
  });

  it("streams ADDED for what exists, then MODIFIED and DELETED", async () => {
    sim = await startSim();
    const { kc, apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("one", "shop", "nginx", { replicas: 0 })]);
    const w = await watchEvents(kc, PATH);
    await w.next((e) => e.type === "ADDED" && e.object.metadata.name === "one");
    await apps.patchNamespacedDeployment({ name: "one", namespace: "shop", body: { metadata: { labels: { touched: "yes" } } } }, merge());
    const modified = await w.next((e) => e.type === "MODIFIED" && e.object.metadata.labels?.touched === "yes");
    expect(modified.object).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });
    await apps.deleteNamespacedDeployment({ name: "one", namespace: "shop" });
    const deleted = await w.next((e) => e.type === "DELETED");
    expect(deleted.object.metadata.name).toBe("one");
    w.stop();
  });

  it("resumes from a resourceVersion with exactly the changes after it", async () => {
    sim = await startSim();
    const { kc, apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("a", "shop", "nginx", { replicas: 0 }), deploymentManifest("b", "shop", "nginx", { replicas: 0 })]);
    const list = await apps.listNamespacedDeployment({ namespace: "shop" });
    const rv = list.metadata?.resourceVersion;
    await apps.patchNamespacedDeployment({ name: "a", namespace: "shop", body: { spec: { replicas: 0, minReadySeconds: 5 } } }, merge());
    await sim.apply([deploymentManifest("c", "shop", "nginx", { replicas: 0 })]);
    await apps.deleteNamespacedDeployment({ name: "b", namespace: "shop" });
    const w = await watchEvents(kc, PATH, { resourceVersion: rv });
    await w.next((e) => e.type === "DELETED");
    await settle();
    const seen = w.events.map((e) => `${e.type} ${e.object.metadata.name}`);
    // Status writes by the controllers are MODIFIED events too; what matters is that nothing before rv is replayed.
    expect(seen).not.toContain("ADDED a");
    expect(seen).not.toContain("ADDED b");
    expect(seen).toContain("MODIFIED a");
    expect(seen).toContain("ADDED c");
    expect(seen[seen.length - 1]).toBe("DELETED b");
    const versions = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(versions.every((v) => v > Number(rv))).toBe(true);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    w.stop();
  });

  it("answers a too old resourceVersion with an ERROR event carrying 410 Gone (Expired)", async () => {
    sim = await startSim({ historyLimit: 10 });
    const { kc, apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("churn", "shop", "nginx", { replicas: 0 })]);
    const old = (await apps.readNamespacedDeployment({ name: "churn", namespace: "shop" })).metadata?.resourceVersion;
    for (let i = 0; i < 15; i++) {
      await apps.patchNamespacedDeployment({ name: "churn", namespace: "shop", body: { metadata: { annotations: { n: String(i) } } } }, merge());
    }
    const w = await watchEvents(kc, PATH, { resourceVersion: old });
    const error = await w.next((e) => e.type === "ERROR");
    expect(error.object).toMatchObject({ kind: "Status", status: "Failure", reason: "Expired", code: 410 });
    expect(error.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    expect(await w.done).toBeNull();
    // The client's remedy works: list again and watch from the list's resourceVersion.
    const fresh = await apps.listNamespacedDeployment({ namespace: "shop" });
    const again = await watchEvents(kc, PATH, { resourceVersion: fresh.metadata?.resourceVersion });
    await apps.patchNamespacedDeployment({ name: "churn", namespace: "shop", body: { metadata: { annotations: { n: "last" } } } }, merge());
    await again.next((e) => e.type === "MODIFIED" && e.object.metadata.annotations?.n === "last");
    again.stop();
  });

  it("sends no BOOKMARK events by default, as a 1.20 API server, even when the client allows them", async () => {
    sim = await startSim();
    const { kc } = clientsFor(sim);
    const w = await watchEvents(kc, PATH, { allowWatchBookmarks: true });
    await sim.clock.advance(60_000);
    await settle();
    expect(w.events.filter((e) => e.type === "BOOKMARK")).toHaveLength(0);
    w.stop();
    const res = await rawRequest(sim, `${PATH}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1`);
    expect(res.body).not.toContain("BOOKMARK");
  });

  it("ends a watch that named no timeoutSeconds after the server's own watch timeout (simulated time)", async () => {
    sim = await startSim({ watchTimeoutMs: 5000 });
    const { kc } = clientsFor(sim);
    const w = await watchEvents(kc, PATH);
    const timed = await watchEvents(kc, PATH, { timeoutSeconds: 3600 });
    const ended = new Set<string>();
    void w.done.then(() => ended.add("default"));
    void timed.done.then(() => ended.add("timeoutSeconds"));
    await sim.clock.advance(4000);
    await settle();
    expect(ended.size).toBe(0);
    await sim.clock.advance(1000);
    expect(await w.done).toBeNull();
    await settle();
    expect([...ended]).toEqual(["default"]);
    timed.stop();
  });

  it("sends BOOKMARK events when enabled and allowed, on the simulated clock", async () => {
    sim = await startSim({ watchBookmarks: true, bookmarkIntervalMs: 5000 });
    const { kc } = clientsFor(sim);
    const w = await watchEvents(kc, PATH, { allowWatchBookmarks: true });
    await sim.clock.advance(4000);
    await settle();
    expect(w.events.filter((e) => e.type === "BOOKMARK")).toHaveLength(0);
    await sim.clock.advance(1500);
    const bookmark = await w.next((e) => e.type === "BOOKMARK");
    expect(bookmark.object).toMatchObject({ kind: "Deployment", apiVersion: "apps/v1" });
    expect(bookmark.object.metadata.resourceVersion).toMatch(/^\d+$/);
    const plain = await watchEvents(kc, PATH);
    await sim.clock.advance(12_000);
    await settle();
    expect(plain.events.filter((e) => e.type === "BOOKMARK")).toHaveLength(0);
    w.stop();
    plain.stop();
  });

  it("honours timeoutSeconds by ending the stream", async () => {
    sim = await startSim();
    const started = Date.now();
    const res = await rawRequest(sim, `${PATH}?watch=1&timeoutSeconds=1`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.headers["content-type"]).toBe("application/json");
  });

  it("filters by label selector; an object leaving the selector is DELETED for that watch", async () => {
    sim = await startSim();
    const { kc, apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("sel", "shop", "nginx", { replicas: 0 }), deploymentManifest("other", "shop", "nginx", { replicas: 0 })]);
    await apps.patchNamespacedDeployment({ name: "sel", namespace: "shop", body: { metadata: { labels: { track: "stable" } } } }, merge());
    const w = await watchEvents(kc, PATH, { labelSelector: "track=stable" });
    await w.next((e) => e.type === "ADDED");
    await apps.patchNamespacedDeployment({ name: "sel", namespace: "shop", body: { metadata: { labels: { track: "canary" } } } }, merge());
    const gone = await w.next((e) => e.type === "DELETED");
    expect(gone.object.metadata.labels.track).toBe("stable");
    await apps.patchNamespacedDeployment({ name: "other", namespace: "shop", body: { metadata: { labels: { track: "stable" } } } }, merge());
    const entered = await w.next((e) => e.type === "ADDED" && e.object.metadata.name === "other");
    expect(entered.object.metadata.labels.track).toBe("stable");
    expect(w.events.map((e) => e.object.metadata.name)).not.toContain(undefined);
    w.stop();
  });

  it("feeds client-node's informer (list, then watch from the list's resourceVersion)", async () => {
    sim = await startSim();
    const { kc, apps } = clientsFor(sim);
    await sim.apply([deploymentManifest("first", "shop", "nginx", { replicas: 0 })]);
    const informer = makeInformer<V1Deployment>(kc, PATH, () => apps.listNamespacedDeployment({ namespace: "shop" }));
    const seen: string[] = [];
    informer.on("add", (d) => seen.push(`add ${d.metadata?.name}`));
    informer.on("delete", (d) => seen.push(`delete ${d.metadata?.name}`));
    await informer.start();
    await sim.apply([deploymentManifest("second", "shop", "nginx", { replicas: 0 })]);
    await apps.deleteNamespacedDeployment({ name: "first", namespace: "shop" });
    for (let i = 0; i < 50 && !seen.includes("delete first"); i++) await settle(20);
    await informer.stop();
    expect(seen).toEqual(["add first", "add second", "delete first"]);
    expect(informer.list().map((d) => d.metadata?.name)).toEqual(["second"]);
  });

  it("ends the initial events of a watch-list request with an annotated BOOKMARK", async () => {
    sim = await startSim({ watchBookmarks: true });
    await sim.apply([deploymentManifest("one", "shop", "nginx", { replicas: 0 })]);
    const res = await rawRequest(sim, `${PATH}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
    const events = res.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(["ADDED", "BOOKMARK"]);
    expect(events[1].object.metadata.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
  });

  it("watches a single object by name and across all namespaces", async () => {
    sim = await startSim();
    const { kc } = clientsFor(sim);
    await sim.seedWorkloads([
      { namespace: "a", name: "web", image: "nginx", replicas: 1 },
      { namespace: "b", name: "web", image: "nginx", replicas: 1 },
    ]);
    const all = await watchEvents(kc, "/apis/apps/v1/deployments");
    await all.next((e) => e.object.metadata.namespace === "b");
    expect(new Set(all.events.map((e) => e.object.metadata.namespace))).toEqual(new Set(["a", "b"]));
    const one = await watchEvents(kc, "/api/v1/namespaces/a/pods", { fieldSelector: "status.phase=Running" });
    await one.next((e) => e.type === "ADDED");
    expect(one.events.every((e) => e.object.metadata.namespace === "a" && e.object.status.phase === "Running")).toBe(true);
    all.stop();
    one.stop();
  });
});
