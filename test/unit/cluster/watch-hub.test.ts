import { afterEach, describe, expect, it, vi } from "vitest";
import { clusterRegistry } from "../../../server/cluster/cluster-registry";
import { getServiceRuntime, subscribeServiceRuntime } from "../../../server/cluster/runtime";
import { logger } from "../../../server/shared/logger";
import { cardApi, cardService, gatewayFor, installRegistry, startSim, stopSimsAfterAll, until } from "./fixture";

describe("the watch hub", () => {
  stopSimsAfterAll();
  afterEach(() => clusterRegistry().hub().stop());

  it("serves any number of subscribers from ONE list and watch per resource and namespace", async () => {
    const sim = await startSim({}, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }]);
    const first = subscribeServiceRuntime(cardService, () => undefined);
    await until(() => clusterRegistry().hub().stats().watches === 5, "five watches");
    const afterFirst = sim.requestCount();
    const more = Array.from({ length: 20 }, () => subscribeServiceRuntime(cardService, () => undefined));
    for (let i = 0; i < 10; i++) await getServiceRuntime(cardService);
    expect(sim.requestCount()).toBe(afterFirst);
    expect(clusterRegistry().hub().stats()).toMatchObject({ informers: 5, lists: 5, watches: 5, relists: 0 });
    first();
    for (const unsubscribe of more) unsubscribe();
  });

  it("costs no Kubernetes request for a warm page view, and lets informers go a while after the last reader", async () => {
    const sim = await startSim({}, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }], { watch: { lingerMs: 300 } });
    const before = sim.requestCount();
    await getServiceRuntime(cardService);
    expect(sim.requestCount() - before).toBe(5); // the cold view's LISTs; the WATCHes follow
    await until(() => sim.requestCount() - before === 10, "the five WATCHes");
    const warmStart = sim.requestCount();
    await getServiceRuntime(cardService);
    expect(sim.requestCount() - warmStart).toBe(0);
    await until(() => clusterRegistry().hub().stats().informers === 0, "informers to stop", 3000);
  });

  it("notices an image change within a second", async () => {
    const sim = await startSim({}, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }]);
    let calls = 0;
    const unsubscribe = subscribeServiceRuntime(cardService, () => calls++);
    await getServiceRuntime(cardService);
    await new Promise((r) => setTimeout(r, 300));
    calls = 0;
    const changedAt = Date.now();
    await gatewayFor(sim).setImage({ cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" }, "app", "registry.example/card-api:2.0.0");
    await until(() => calls > 0, "a change notification", 1000);
    expect(Date.now() - changedAt).toBeLessThan(1000);
    const runtime = await getServiceRuntime(cardService);
    expect(runtime.environments[0]!.clusters[0]!.workloads[0]!.workload.images[0]!.tag).toBe("2.0.0");
    unsubscribe();
  });

  it("resumes from the last resourceVersion after client-node's idle abort, without listing again", async () => {
    const sim = await startSim({}, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }], { gateway: { watchIdleTimeoutMs: 300 } });
    const unsubscribe = subscribeServiceRuntime(cardService, () => undefined);
    await getServiceRuntime(cardService);
    await until(() => clusterRegistry().hub().stats().resumes >= 10, "the idle watches to be resumed", 3000);
    await gatewayFor(sim).setImage({ cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" }, "app", "registry.example/card-api:3.0.0");
    await until(
      async () => (await getServiceRuntime(cardService)).environments[0]!.clusters[0]!.workloads[0]!.workload.images[0]!.tag === "3.0.0",
      "the change",
    );
    expect(clusterRegistry().hub().stats()).toMatchObject({ lists: 5, relists: 0 });
    unsubscribe();
  });

  it("resumes after a dropped connection and catches up on what changed meanwhile, without a relist", async () => {
    const sim = await startSim({}, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }]);
    const unsubscribe = subscribeServiceRuntime(cardService, () => undefined);
    await getServiceRuntime(cardService);
    sim.setUnreachable(true);
    await until(async () => (await getServiceRuntime(cardService)).errors.length === 1, "the broken watch to show as an error");
    await sim.seedWorkloads([
      {
        namespace: "cards",
        name: "card-api-worker",
        image: "registry.example/card-api-worker:1.0.0",
        replicas: 1,
        labels: { "backstage.io/kubernetes-id": "card-api" },
      },
    ]);
    sim.setUnreachable(false);
    const runtime = await until(async () => {
      const r = await getServiceRuntime(cardService);
      return r.errors.length === 0 && r.environments[0]!.clusters[0]!.workloads.length === 2 ? r : null;
    }, "the resumed watch to deliver the new workload");
    expect(runtime.environments[0]!.clusters[0]!.workloads.map((w) => w.workload.name)).toEqual(["card-api", "card-api-worker"]);
    expect(clusterRegistry().hub().stats()).toMatchObject({ lists: 5, relists: 0 });
    unsubscribe();
  });

  it("lists again when the resourceVersion is too old (410 Gone)", async () => {
    const sim = await startSim({ historyLimit: 30 }, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }]);
    const unsubscribe = subscribeServiceRuntime(cardService, () => undefined);
    await getServiceRuntime(cardService);
    sim.setUnreachable(true);
    await until(async () => (await getServiceRuntime(cardService)).errors.length === 1, "the broken watch");
    await sim.seedWorkloads(
      Array.from({ length: 8 }, (_, i) => ({ namespace: "cards", name: `filler-${i}`, image: "registry.example/filler:1.0.0", replicas: 2 })),
    );
    sim.setUnreachable(false);
    await until(() => clusterRegistry().hub().stats().relists >= 1, "a relist after 410 Gone");
    const runtime = await until(async () => {
      const r = await getServiceRuntime(cardService);
      return r.errors.length === 0 ? r : null;
    }, "the cache to be current again");
    expect(runtime.environments[0]!.clusters[0]!.workloads[0]!.pods).toHaveLength(3);
    unsubscribe();
  });

  it("shows a watch the API server forbids (403 while its authorizer warms up) as a typed error, and resumes once allowed", async () => {
    const sim = await startSim({ watchTimeoutMs: 5000 }, [cardApi()]);
    installRegistry([{ name: "staging", environment: "staging", sim }]);
    const warn = vi.spyOn(logger(), "warn");
    const error = vi.spyOn(logger(), "error");
    try {
      const unsubscribe = subscribeServiceRuntime(cardService, () => undefined);
      await getServiceRuntime(cardService);
      await until(() => sim.openWatches() === 5, "the five watches");
      // A restarted API server: the open watches end, and new ones are refused for a while.
      sim.setRequestFailure({ status: 403, verbs: ["watch"] });
      await sim.clock.advance(5000);
      const broken = await until(async () => {
        const r = await getServiceRuntime(cardService);
        return r.errors.length === 1 ? r : null;
      }, "the refused watch to show as an error");
      expect(broken.errors[0]).toMatchObject({ cluster: "staging", status: 403 });
      expect(broken.errors[0]!.message).toMatch(/^Cluster staging does not allow Slipway to watch \w+ in namespace cards \(403 Forbidden\); retrying$/);
      expect(broken.errors[0]!.message).not.toMatch(/unexpected/);
      expect(error).not.toHaveBeenCalled();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ cluster: "staging", status: 403 }), "watch failed; retrying");
      // Retries back off instead of hammering the server, and repeated refusals are not logged again.
      const refusedSoFar = sim.requestCount();
      await new Promise((r) => setTimeout(r, 600));
      expect(sim.requestCount() - refusedSoFar).toBeLessThan(5 * 6);
      expect(warn.mock.calls.length).toBeLessThanOrEqual(5);

      await gatewayFor(sim).setImage(
        { cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" },
        "app",
        "registry.example/card-api:4.0.0",
      );
      sim.setRequestFailure(null);
      const runtime = await until(async () => {
        const r = await getServiceRuntime(cardService);
        return r.errors.length === 0 && r.environments[0]!.clusters[0]!.workloads[0]!.workload.images[0]!.tag === "4.0.0" ? r : null;
      }, "the watches to resume and catch up");
      expect(runtime.errors).toEqual([]);
      expect(clusterRegistry().hub().stats()).toMatchObject({ lists: 5, relists: 0 });
      unsubscribe();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
