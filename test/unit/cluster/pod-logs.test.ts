import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { PodRef } from "../../../server/cluster/gateway";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { BadRequestError, ForbiddenError, NotFoundError, UpstreamError } from "../../../server/shared/errors";
import { gatewayFor, startSim, stopSimsAfterAll, until } from "./fixture";

/** readPodLogs through client-node's readNamespacedPodLog against the simulator's kubelet logs. */

const SLIPWAY = "system:serviceaccount:slipway:slipway";

async function podOf(sim: KubeSim, app: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "shop", labelSelector: `app=${app}` });
  return pods.items[0]!.metadata!.name!;
}

describe("reading pod logs through the gateway", () => {
  stopSimsAfterAll();
  let sim: KubeSim;
  let orders: PodRef;
  let crashing: PodRef;

  beforeAll(async () => {
    sim = await startSim(
      {
        crashAfterMs: 20_000,
        tokens: { "slipway-sa-token": { user: SLIPWAY } },
        rbac: [
          { subjects: [{ kind: "User", name: SLIPWAY }], verbs: ["impersonate"], apiGroups: [""], resources: ["users", "groups"] },
          { subjects: [{ kind: "Group", name: "squad-shop" }], verbs: ["get", "list"], apiGroups: [""], resources: ["pods"], namespaces: ["shop"] },
        ],
      },
      [
        { namespace: "shop", name: "orders", image: "shop/orders:1", replicas: 1 },
        { namespace: "shop", name: "payments", image: "shop/payments:1-crashloop", replicas: 1 },
      ],
    );
    await sim.clock.advance(120_000);
    orders = { cluster: "staging", namespace: "shop", pod: await podOf(sim, "orders") };
    crashing = { cluster: "staging", namespace: "shop", pod: await podOf(sim, "payments"), container: "app" };
  });

  it("returns the last lines with the times the runtime recorded, oldest first", async () => {
    const lines = await gatewayFor(sim).readPodLogs(orders, { tailLines: 5 });
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(line.text).toMatch(/^\S+Z (DEBUG|INFO |WARN |ERROR) \S/);
    }
    expect(lines.map((l) => l.time)).toEqual([...lines.map((l) => l.time)].sort());
    const lastMinute = await gatewayFor(sim).readPodLogs(orders, { sinceSeconds: 60, tailLines: 10_000 });
    const all = await gatewayFor(sim).readPodLogs(orders, { tailLines: 10_000 });
    expect(lastMinute.length).toBeGreaterThan(5);
    expect(lastMinute.length).toBeLessThan(all.length);
    expect(all.slice(-5)).toEqual(lines);
  });

  it("shows what a crash-looping container died of with previous, and says so when there is no previous container", async () => {
    const previous = await gatewayFor(sim).readPodLogs(crashing, { previous: true, tailLines: 10 });
    expect(previous.map((l) => l.text)).toContain("Error: connect ECONNREFUSED 10.96.12.7:5432");
    expect(previous.at(-1)?.text).toMatch(/exiting/);
    const none = await gatewayFor(sim)
      .readPodLogs(orders, { previous: true })
      .catch((e: unknown) => e);
    expect(none).toBeInstanceOf(BadRequestError);
    expect((none as Error).message).toBe(`Cluster staging rejected the request: previous terminated container "app" in pod "${orders.pod}" not found`);
  });

  it("maps a missing pod, a refused person and bad options to typed errors", async () => {
    await expect(gatewayFor(sim).readPodLogs({ ...orders, pod: "orders-gone" })).rejects.toThrow(NotFoundError);
    const withToken = gatewayFor(sim, { impersonate: true, connection: { server: sim.url, token: "slipway-sa-token" } });
    const refused = await withToken.readPodLogs(orders, { as: { user: "dev@example.com", groups: ["squad-shop"] } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as Error).message).toBe(
      `pods "${orders.pod}" is forbidden: User "dev@example.com" cannot get resource "pods/log" in API group "" in the namespace "shop"`,
    );
    await expect(gatewayFor(sim).readPodLogs(orders, { tailLines: -1 })).rejects.toThrow(BadRequestError);
    await expect(gatewayFor(sim).readPodLogs({ ...orders, namespace: "Shop!" })).rejects.toThrow(BadRequestError);
    await expect(gatewayFor(sim).readPodLogs({ ...orders, cluster: "production" })).rejects.toThrow(BadRequestError);
  });

  it("maps an API server that drops the connection to a typed upstream error", async () => {
    sim.setUnreachable(true);
    try {
      const dropped = await gatewayFor(sim, { timeoutSeconds: 1 })
        .readPodLogs(orders)
        .catch((e: unknown) => e);
      expect(dropped).toBeInstanceOf(UpstreamError);
      expect((dropped as Error).message).toMatch(/^Cluster staging /);
    } finally {
      sim.setUnreachable(false);
    }
    await until(async () => (await gatewayFor(sim).readPodLogs(orders, { tailLines: 1 })).length === 1, "logs again");
  });
});
