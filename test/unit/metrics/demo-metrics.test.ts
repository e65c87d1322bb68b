import { describe, expect, it } from "vitest";
import { DemoMetricsSource, type DemoMetricsEvents } from "../../../server/demo/demo-metrics";
import { createMetrics } from "../../../server/metrics";

const rolledOutAt = Date.UTC(2026, 10, 22, 14, 0, 0);
const now = rolledOutAt + 3 * 3600_000;
const events: DemoMetricsEvents = {
  crashLoops: [{ namespace: "notifications", workload: "email-sender", startedAt: rolledOutAt, endedAt: null }],
  canaries: [{ workload: "card-processing", stableVersion: "2.14.1", version: "2.15.0", weight: 20, startedAt: rolledOutAt, endedAt: null }],
};
const emailSender = { namespace: "notifications", workload: "email-sender", kind: "Deployment" as const };

function demo(e: DemoMetricsEvents = events) {
  const clock = { now: () => now };
  return createMetrics({ sources: { staging: new DemoMetricsSource({ environment: "staging", events: () => e, clock }) }, clock, cache: false });
}

const last = (panels: Awaited<ReturnType<ReturnType<typeof demo>["servicePanels"]>>, id: string, legend?: string) =>
  panels.panels.find((p) => p.id === id)!.series.find((s) => !legend || s.labels.legend === legend)!.points;

describe("the demo metrics source tells the simulated clusters' story", () => {
  it("is deterministic, with a daily shape", async () => {
    const service = { namespace: "cards", workload: "card-api", kind: "Deployment" as const };
    const range = { service, environment: "staging", from: now - 86_400_000, to: now, widthPx: 1000 };
    const a = await demo().servicePanels(range);
    expect(await demo().servicePanels(range)).toEqual(a);
    const rps = last(a, "request-rate").map(([, v]) => v!);
    expect(Math.max(...rps) / Math.min(...rps)).toBeGreaterThan(1.8);
    expect(a.panels.map((p) => p.id)).toEqual(["request-rate", "error-ratio", "latency", "cpu", "memory", "replicas", "restarts"]);
  });

  it("raises email-sender's errors and restarts from the moment its release rolled out, and the rollback ends it", async () => {
    const around = { from: rolledOutAt - 3600_000, to: rolledOutAt + 3600_000, widthPx: 480 };
    const tab = await demo().servicePanels({ service: emailSender, environment: "staging", ...around });
    const errors = last(tab, "error-ratio");
    const before = errors.filter(([t]) => t < rolledOutAt).map(([, v]) => v!);
    const after = errors.filter(([t]) => t >= rolledOutAt).map(([, v]) => v!);
    expect(Math.max(...before)).toBeLessThan(1);
    expect(Math.min(...after)).toBeGreaterThan(2);
    expect(
      last(tab, "restarts")
        .filter(([t]) => t >= rolledOutAt)
        .every(([, v]) => v! > 0),
    ).toBe(true);
    const health = await demo().rolloutHealth({ service: emailSender, environment: "staging", startedAt: rolledOutAt });
    expect(health.verdict).toBe("degraded");
    expect(health.summary).toMatch(/^error ratio 0\.\d+% -> [2-6]\.\d%, p95 \d+ ms -> \d+ ms, restarts 0 -> \d+$/);
    expect((await demo().serviceAlerts({ service: emailSender, environment: "staging" })).alerts.map((a) => a.name)).toEqual(["KubePodCrashLooping"]);

    const rolledBack = { ...events, crashLoops: [{ ...events.crashLoops[0]!, endedAt: rolledOutAt + 1800_000 }] };
    const later = { from: rolledOutAt + 2 * 3600_000, to: now, widthPx: 300 };
    const healed = await demo(rolledBack).servicePanels({ service: emailSender, environment: "staging", ...later });
    expect(Math.max(...last(healed, "error-ratio").map(([, v]) => v!))).toBeLessThan(1);
    expect((await demo(rolledBack).serviceAlerts({ service: emailSender, environment: "staging" })).alerts).toEqual([]);
  });

  it("splits card-processing's traffic by version while its canary runs", async () => {
    const service = { namespace: "cards", workload: "card-processing", kind: "Rollout" as const };
    const tab = await demo().servicePanels({ service, environment: "staging", from: rolledOutAt + 60_000, to: now, widthPx: 300 });
    const series = tab.panels.find((p) => p.id === "request-rate")!.series;
    expect(series.map((s) => s.labels.version)).toEqual(["2.14.1", "2.15.0"]);
    const [stable, canary] = series.map((s) => s.points[10]![1]!);
    expect(canary! / (stable! + canary!)).toBeCloseTo(0.2, 5);
  });
});
