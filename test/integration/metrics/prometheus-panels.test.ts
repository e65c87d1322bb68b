import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, PrometheusSource, type MetricsSource } from "../../../server/metrics";
import { closedPortUrl, countingProxy, errorProxy, type RunningPrometheus } from "../../fixtures/prometheus";
import { asService, badReleaseAt, now, services, startStoryPrometheus } from "./cluster-story";

let prometheus: RunningPrometheus;
const stops: Array<() => Promise<void>> = [];
let real: PrometheusSource;

beforeAll(async () => {
  prometheus = await startStoryPrometheus();
  stops.push(() => prometheus.stop());
  real = new PrometheusSource({ url: prometheus.url, name: "Prometheus for staging" });
});
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

const lastHour = { environment: "staging", from: (now - 3600) * 1000, to: now * 1000, widthPx: 720 };
const lastValue = (series: { points: Array<[number, number | null]> } | undefined) => series?.points.at(-1)?.[1];

/** Sends one panel's queries to another source: how a single panel fails inside an otherwise healthy tab. */
function routing(panelId: string, other: MetricsSource): MetricsSource {
  return {
    id: `routing:${panelId}`,
    scrapeIntervalSeconds: 15,
    queryRange: (q, r, o) => (o.purpose?.panelId === panelId ? other : real).queryRange(q, r, o),
    query: (q, t, o) => real.query(q, t, o),
    alerts: (o) => real.alerts(o),
  };
}

describe("panels against a real Prometheus", () => {
  it("scopes every template to the service's pods through kube-state-metrics' owners (not by name prefix)", async () => {
    const tab = await createMetrics({ sources: { staging: real } }).servicePanels({ ...lastHour, service: asService(services.cardApi) });
    expect(tab.errors).toEqual([]);
    expect(tab.step).toBe(15);
    const panel = (id: string) => tab.panels.find((p) => p.id === id)!;
    expect(tab.panels.map((p) => p.id)).toEqual([
      "request-rate",
      "error-ratio",
      "latency",
      "linkerd-success-rate",
      "linkerd-request-rate",
      "linkerd-latency",
      "cpu",
      "memory",
      "replicas",
      "restarts",
    ]);
    expect(tab.panels.every((p) => p.error === null && p.series.length > 0)).toBe(true);
    // 40 req/s at this hour's daily shape, over card-api's two pods; card-api-worker's 1000 req/s stay out.
    const rps = lastValue(panel("request-rate").series[0])!;
    expect(rps).toBeGreaterThan(40 * 0.15);
    expect(rps).toBeLessThan(40 * 1.05);
    expect(panel("request-rate").series).toHaveLength(1);
    expect(lastValue(panel("error-ratio").series[0])).toBeCloseTo(5, 1);
    expect(lastValue(panel("linkerd-success-rate").series[0])).toBeCloseTo(95, 1);
    const byLegend = (id: string) => Object.fromEntries(panel(id).series.map((s) => [s.labels.legend, lastValue(s)]));
    expect(byLegend("cpu")).toMatchObject({ requested: 0.5, limit: 2 });
    expect(byLegend("cpu").used).toBeLessThan(0.5);
    expect(byLegend("memory")).toMatchObject({ requested: 2 * 268435456, limit: 2 * 536870912 });
    expect(byLegend("replicas")).toEqual({ available: 1, desired: 2 });
    expect(byLegend("latency").p95).toBeGreaterThan(byLegend("latency").p50!);
    expect(lastValue(panel("restarts").series[0])).toBeGreaterThan(0);
  });

  it("reads an Argo Rollout's replicas from its ReplicaSets and splits traffic by version (the canary's 20 %)", async () => {
    const tab = await createMetrics({ sources: { staging: real } }).servicePanels({ ...lastHour, service: asService(services.cardProcessing) });
    const requests = tab.panels.find((p) => p.id === "request-rate")!.series;
    expect(requests.map((s) => s.labels.replicaset).sort()).toEqual(["card-processing-6f9d8c7b5", "card-processing-84c7d6b9f"]);
    const byReplicaSet = (rs: string) => lastValue(requests.find((s) => s.labels.replicaset === rs))!;
    const [stable, canary] = ["card-processing-6f9d8c7b5", "card-processing-84c7d6b9f"].map(byReplicaSet);
    expect(canary! / (stable! + canary!)).toBeCloseTo(0.2, 2);
    const replicas = tab.panels.find((p) => p.id === "replicas")!;
    expect(Object.fromEntries(replicas.series.map((s) => [s.labels.legend, lastValue(s)]))).toEqual({ available: 5, desired: 5 });
    expect(tab.panels.some((p) => p.id.startsWith("linkerd"))).toBe(false);
  });

  it("draws a 7-day tab within Prometheus's point limits", async () => {
    const week = { ...lastHour, from: (now - 7 * 86400) * 1000, widthPx: 1400 };
    const tab = await createMetrics({ sources: { staging: real } }).servicePanels({ ...week, service: asService(services.cardApi) });
    expect(tab.step).toBe(900);
    expect(tab.panels.every((p) => p.error === null)).toBe(true);
    expect(tab.panels[0]!.series[0]!.points.length).toBeLessThanOrEqual(1000);
  });

  it("runs annotation panels, and a runaway one fails alone on its series limit", async () => {
    const service = asService(services.cardApi, {
      "prometheus.io/rule":
        'sum by (code) (rate(http_requests_total{namespace="{{namespace}}"}[{{rate_interval}}]))|code, count by (__name__, pod, le) ({namespace="cards"})',
    });
    const tab = await createMetrics({ sources: { staging: real } }).servicePanels({ ...lastHour, service });
    const [rule1, rule2] = tab.panels.filter((p) => p.origin === "annotation");
    expect(rule1!.error).toBeNull();
    expect(rule1!.series.map((s) => s.labels.code).sort()).toEqual(["200", "500"]);
    expect(rule2!.error).toMatchObject({ code: "too_large", message: expect.stringContaining("more than the 50 a panel may draw") });
    expect(tab.panels.filter((p) => p.origin === "template").every((p) => p.error === null)).toBe(true);
  });

  it("degrades only the failing panel when its backend is down, slow, or answers 422", async () => {
    const down = new PrometheusSource({ url: await closedPortUrl(), name: "Prometheus for staging" });
    const slowProxy = await countingProxy(prometheus.url, 3_000);
    const failing = await errorProxy();
    stops.push(slowProxy.close, failing.close);
    const slow = new PrometheusSource({ url: slowProxy.url, name: "Prometheus for staging" });
    const broken = new PrometheusSource({ url: failing.url, name: "Prometheus for staging" });
    const cases = [
      ["cpu", down, "unreachable", /refused the connection/],
      ["memory", slow, "timeout", /did not answer within 1s/],
      ["latency", broken, "execution", /could not run the query: query processing would load too many samples/],
    ] as const;
    for (const [panelId, source, code, message] of cases) {
      const started = Date.now();
      const metrics = createMetrics({ sources: { staging: routing(panelId, source) }, panelTimeoutMs: 1_000 });
      const tab = await metrics.servicePanels({ ...lastHour, service: asService(services.cardApi) });
      expect(Date.now() - started).toBeLessThan(2_500);
      const failed = tab.panels.filter((p) => p.error !== null);
      expect(failed.map((p) => p.id)).toEqual([panelId]);
      expect(failed[0]!.error).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(tab.panels.filter((p) => p.error === null).every((p) => p.series.length > 0)).toBe(true);
    }
    const allDown = await createMetrics({ sources: { staging: down } }).servicePanels({ ...lastHour, service: asService(services.cardApi) });
    expect(allDown.panels.filter((p) => p.error?.code === "unreachable").length).toBeGreaterThanOrEqual(7);
  });

  it("lists the service's firing and pending alerts", async () => {
    const metrics = createMetrics({ sources: { staging: real } });
    let alerts = (await metrics.serviceAlerts({ service: asService(services.cardApi), environment: "staging" })).alerts;
    for (let i = 0; i < 50 && alerts.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      alerts = (await createMetrics({ sources: { staging: real } }).serviceAlerts({ service: asService(services.cardApi), environment: "staging" })).alerts;
    }
    expect(alerts.map((a) => [a.name, a.state])).toEqual([
      ["KubePodCrashLooping", "firing"],
      ["KubePodCrashLooping", "firing"],
      ["CardApiReplicasWatch", "pending"],
    ]);
    const others = await metrics.serviceAlerts({ service: asService(services.worker), environment: "staging" });
    expect(others.alerts).toEqual([]);
    const downSource = new PrometheusSource({ url: await closedPortUrl(), name: "Prometheus" });
    const down = await createMetrics({ sources: { staging: downSource } }).serviceAlerts({ service: asService(services.cardApi), environment: "staging" });
    expect(down).toMatchObject({ alerts: [], errors: [{ code: "unreachable" }] });
  });

  it("compares card-api's health before and after its bad release", async () => {
    const metrics = createMetrics({ sources: { staging: real } });
    const health = await metrics.rolloutHealth({ service: asService(services.cardApi), environment: "staging", startedAt: badReleaseAt * 1000 });
    expect(health.summary).toBe("error ratio 1.0% -> 5.0%, p95 250 ms -> 917 ms, restarts 0 -> 12");
    expect(health.verdict).toBe("degraded");
    const calm = await metrics.rolloutHealth({ service: asService(services.cardProcessing), environment: "staging", startedAt: (now - 1800) * 1000 });
    expect(calm.verdict).toBe("healthy");
    expect(calm.measures.find((m) => m.id === "error-ratio")!.text).toBe("error ratio 0.2% -> 0.2%");
  });

  it("asks Prometheus one query per panel target for 100 concurrent viewers", async () => {
    const metrics = createMetrics({ sources: { staging: real } });
    const before = prometheus.requests();
    const views = await Promise.all(Array.from({ length: 100 }, () => metrics.servicePanels({ ...lastHour, service: asService(services.cardApi) })));
    const targets = 19;
    expect(prometheus.requests() - before).toBe(targets);
    expect(views.every((v) => v.panels.every((p) => p.error === null))).toBe(true);
  });
});
