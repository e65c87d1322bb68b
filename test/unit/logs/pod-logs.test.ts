import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { createLogs, type Logs } from "../../../server/logs";
import { gatewayFor, startSim, stopSimsAfterAll } from "../cluster/fixture";

/** Pod logs through the cluster gateway, mapped into the same line shape as the log store's, levels detected. */

async function podOf(sim: KubeSim, app: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "shop", labelSelector: `app=${app}` });
  return pods.items[0]!.metadata!.name!;
}

describe("pod logs through the gateway", () => {
  stopSimsAfterAll();
  let logs: Logs;
  let orders: string;
  let crashing: string;

  beforeAll(async () => {
    const sim = await startSim({ crashAfterMs: 20_000 }, [
      { namespace: "shop", name: "orders", image: "shop/orders:1", replicas: 1 },
      { namespace: "shop", name: "payments", image: "shop/payments:1-crashloop", replicas: 1 },
    ]);
    await sim.clock.advance(120_000);
    orders = await podOf(sim, "orders");
    crashing = await podOf(sim, "payments");
    const gateway = gatewayFor(sim);
    logs = createLogs({ sources: {}, clusters: (name) => (name === "staging" ? gateway : undefined) });
  });

  it("maps the container's lines into log lines, oldest first, with levels detected", async () => {
    const page = await logs.podLogs({ cluster: "staging", namespace: "shop", pod: orders, tailLines: 20 });
    expect(page.errors).toEqual([]);
    expect(page.lines).toHaveLength(20);
    const times = page.lines.map((l) => l.timestamp);
    expect(times).toEqual([...times].sort());
    expect(times[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(page.lines.every((l) => l.level !== "unknown" && l.pod === orders)).toBe(true);
    expect(new Set(page.lines.map((l) => l.level)).has("info")).toBe(true);
  });

  it("shows the last lines of the previous container of a crash-looping pod: the error it died of", async () => {
    const previous = await logs.previousContainerLogs({ cluster: "staging", namespace: "shop", pod: crashing, container: "app" });
    expect(previous.errors).toEqual([]);
    const messages = previous.lines.map((l) => l.message).join("\n");
    expect(messages).toContain("ECONNREFUSED 10.96.12.7:5432");
    expect(previous.lines.some((l) => l.level === "fatal")).toBe(true);
    expect(previous.lines.every((l) => l.fields.source === "previous container")).toBe(true);
  });

  it("explains, without failing, a pod with no previous container, an unknown pod and an unknown cluster", async () => {
    const none = await logs.previousContainerLogs({ cluster: "staging", namespace: "shop", pod: orders });
    expect(none.lines).toEqual([]);
    expect(none.errors).toEqual([expect.objectContaining({ code: "pod_logs_unavailable", message: expect.stringContaining("has not restarted") })]);
    const gone = await logs.podLogs({ cluster: "staging", namespace: "shop", pod: "orders-gone" });
    expect(gone.errors).toEqual([expect.objectContaining({ code: "pod_logs_unavailable" })]);
    const nowhere = await logs.podLogs({ cluster: "moon", namespace: "shop", pod: orders });
    expect(nowhere.errors).toEqual([expect.objectContaining({ code: "not_configured" })]);
    await expect(logs.podLogs({ cluster: "staging", namespace: "shop", pod: orders, tailLines: 0 })).rejects.toMatchObject({ status: 422 });
  });
});
