import { afterAll, describe, expect, it } from "vitest";
import { startDemoLogs, type DemoLogs } from "../../../server/demo/demo-logs";
import { createLogs } from "../../../server/logs";
import { gatewayFor, startSim, stopSimsAfterAll } from "../cluster/fixture";

/** The embedded default's log store tells the clusters' story: a crash-looping pod's exception is searchable. */

describe("demo logs", () => {
  stopSimsAfterAll();
  let demo: DemoLogs | undefined;
  afterAll(async () => demo?.stop());

  it("ships the pods' lines fluentd-style, with the crash loop's exception from the previous container", async () => {
    const sim = await startSim({ clock: "real", crashAfterMs: 400 }, [
      {
        namespace: "comms",
        name: "email-sender",
        image: "registry.example/email-sender:2.0.0-crashloop",
        replicas: 1,
        labels: { "backstage.io/kubernetes-id": "email-sender" },
      },
      { namespace: "cards", name: "card-api", image: "registry.example/card-api:1.0.0", replicas: 1, labels: { "backstage.io/kubernetes-id": "card-api" } },
    ]);
    demo = await startDemoLogs({ clusters: [gatewayFor(sim)], backfillMinutes: 10, intervalMs: 0 });
    const deadline = Date.now() + 8000;
    const logs = createLogs({ sources: demo.sources });
    const range = () => ({ environment: "staging", from: Date.now() - 15 * 60_000, to: Date.now() + 1000 });
    let exception = "";
    while (Date.now() < deadline && !exception) {
      await demo.shipOnce();
      demo.sim.refresh();
      const page = await logs.serviceLogs({ service: { namespace: "comms", label: "email-sender" }, ...range(), q: "ECONNREFUSED" });
      exception = page.lines[0]?.message ?? "";
      if (!exception) await new Promise((r) => setTimeout(r, 300));
    }
    expect(exception).toContain("ECONNREFUSED 10.96.12.7:5432");
    const fatal = await logs.serviceLogs({ service: { namespace: "comms", label: "email-sender" }, ...range(), level: "fatal" });
    expect(fatal.lines.map((l) => l.message).join("\n")).toMatch(/failed to connect to database/);
    const cardApi = await logs.serviceLogs({ service: { namespace: "cards", label: "card-api" }, ...range(), limit: 1000 });
    expect(cardApi.lines.length).toBeGreaterThan(10);
    expect(cardApi.lines.every((l) => l.pod.startsWith("card-api-"))).toBe(true);
    expect(new Set(cardApi.lines.map((l) => l.id)).size).toBe(cardApi.lines.length);
  }, 20_000);
});
