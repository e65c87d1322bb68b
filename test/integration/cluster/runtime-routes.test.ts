import fs from "node:fs";
import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as getRuntime } from "../../../app/api/v1/services/[name]/runtime/route";
import { GET as streamRuntime } from "../../../app/api/v1/services/[name]/runtime/stream/route";
import { importCatalogue } from "../../../server/catalogue";
import { clusterRegistry, setClusterRegistry } from "../../../server/cluster/cluster-registry";
import type { ServiceRuntime } from "../../../server/cluster/runtime-types";
import { startKubeSim, type KubeSim } from "../../../server/demo/kube-sim";
import { call, tokenFor, type Caller } from "../../fixtures/api";
import { asSystem, useTestDatabase } from "../../fixtures/database";

const demo = fs.readFileSync("server/demo/seed/catalog.yaml", "utf8");
const REG = "registry.harbourbank.example";

/** Reads server-sent events from a Response body as they arrive. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(timeoutMs: number): Promise<{ event: string | null; data: string | null; comment: string | null }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2) ?? null;
          const comment = block.startsWith(":") ? block.slice(1).trim() : null;
          if (block.startsWith("retry:")) continue;
          return { event: field("event"), data: field("data"), comment };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no server-sent event in time");
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) continue;
        if (chunk.done) throw new Error("the stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

describe("the runtime API", () => {
  const db = useTestDatabase();
  let sim: KubeSim;
  let caller: Caller;

  beforeAll(async () => {
    sim = await startKubeSim({ clock: "manual" });
    await sim.seedWorkloads([
      { namespace: "cards", name: "card-api", image: `${REG}/card-api:2.4.0`, replicas: 3, labels: { "backstage.io/kubernetes-id": "card-api" } },
    ]);
    setClusterRegistry({
      environments: [{ name: "staging" }, { name: "production", production: true }],
      clusters: [{ name: "staging", environment: "staging", connection: { server: sim.url, token: sim.adminToken }, timeoutSeconds: 3 }],
      namespaceOwners: { cards: ["cards"] },
      watch: { lingerMs: 500 },
    });
  });
  afterAll(async () => {
    setClusterRegistry(null);
    await sim.stop();
  });
  beforeEach(async () => {
    await importCatalogue(demo, asSystem, db.current().prisma);
    caller = await tokenFor(db.current(), { person: "tom.hughes" }, ["read"]);
  });

  it("returns the service's runtime as JSON to a signed-in caller", async () => {
    const res = await call(getRuntime, { path: "/api/v1/services/card-api/runtime", caller, params: { name: "card-api" } });
    expect(res.status).toBe(200);
    const runtime = res.body as ServiceRuntime;
    expect(runtime.environments.map((e) => e.name)).toEqual(["staging", "production"]);
    expect(runtime.environments[0]!.clusters[0]!.workloads[0]!.runningVersion!.tag).toBe("2.4.0");
    expect((await call(getRuntime, { path: "/api/v1/services/card-api/runtime", params: { name: "card-api" } })).status).toBe(401);
    const missing = await call(getRuntime, { path: "/api/v1/services/nope/runtime", caller, params: { name: "nope" } });
    expect(missing.status).toBe(404);
  });

  it("streams the runtime, then an update within a second of an image change made through client-node", async () => {
    const controller = new AbortController();
    const request = new NextRequest("http://slipway.test/api/v1/services/card-api/runtime/stream", {
      headers: { authorization: `Bearer ${(caller as { token: string }).token}`, "x-slipway-client-ip": "10.0.0.7" },
      signal: controller.signal,
    });
    const response = await streamRuntime(request, { params: Promise.resolve({ name: "card-api" }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const events = sseReader(response);
    const first = await events.next(3000);
    expect(first.event).toBe("runtime");
    expect((JSON.parse(first.data!) as ServiceRuntime).environments[0]!.clusters[0]!.workloads[0]!.workload.images[0]!.tag).toBe("2.4.0");

    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    const changedAt = Date.now();
    await kc
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeployment(
        { name: "card-api", namespace: "cards", body: { spec: { template: { spec: { containers: [{ name: "app", image: `${REG}/card-api:2.5.0` }] } } } } },
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      );
    const update = await events.next(1000);
    expect(Date.now() - changedAt).toBeLessThan(1000);
    expect(update.event).toBe("runtime");
    const workload = (JSON.parse(update.data!) as ServiceRuntime).environments[0]!.clusters[0]!.workloads[0]!;
    expect(workload.workload.images[0]!.tag).toBe("2.5.0");
    expect(workload.workload.status.message).toBe("Waiting for deployment spec update to be observed...");

    await sim.clock.advance(500);
    const progressing = JSON.parse((await events.next(1000)).data!) as ServiceRuntime;
    expect(progressing.environments[0]!.clusters[0]!.workloads[0]!.workload.status.state).toBe("progressing");

    expect(clusterRegistry().hub().stats().informers).toBe(5);
    controller.abort();
    await new Promise((r) => setTimeout(r, 800));
    // The stream let its informers go: after the linger period nothing watches the cluster any more.
    expect(clusterRegistry().hub().stats().informers).toBe(0);
  });
});
