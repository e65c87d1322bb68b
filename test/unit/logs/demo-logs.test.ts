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
    // The crash loop's error lines name the cause; the fatal line it dies of (shipped from the previous container)
    // does too, so a level filter of error and fatal alone explains the crash.
    let fatal = "";
    while (Date.now() < deadline && !fatal) {
      await demo.shipOnce();
      demo.sim.refresh();
      const page = await logs.serviceLogs({ service: { namespace: "comms", label: "email-sender" }, ...range(), level: "fatal" });
      fatal = page.lines.map((l) => l.message).join("\n");
      if (!fatal) await new Promise((r) => setTimeout(r, 300));
    }
    expect(fatal).toMatch(/failed to connect to database/);
    expect(fatal).toContain("ECONNREFUSED 10.96.12.7:5432");
    const errors = await logs.serviceLogs({ service: { namespace: "comms", label: "email-sender" }, ...range(), level: "error" });
    expect(errors.lines.length).toBeGreaterThan(0);
    expect(errors.lines.every((l) => l.message.includes("ECONNREFUSED 10.96.12.7:5432"))).toBe(true);
    const stack = await logs.serviceLogs({ service: { namespace: "comms", label: "email-sender" }, ...range(), q: "oncomplete" });
    expect(stack.lines.length).toBeGreaterThan(0);
    const cardApi = await logs.serviceLogs({ service: { namespace: "cards", label: "card-api" }, ...range(), limit: 1000 });
    expect(cardApi.lines.length).toBeGreaterThan(10);
    expect(cardApi.lines.every((l) => l.pod.startsWith("card-api-"))).toBe(true);
    expect(new Set(cardApi.lines.map((l) => l.id)).size).toBe(cardApi.lines.length);
  }, 20_000);
});
