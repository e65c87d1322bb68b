import { describe, expect, it } from "vitest";
import { CachedSource, createMetrics, MetricsQueryError, type MetricsAlert } from "../../../server/metrics";
import { FakeSource } from "./fake-source";

const service = { namespace: "cards", workload: "card-api", kind: "Deployment" as const };
const to = Date.UTC(2026, 10, 22, 15, 0, 0);
const tab = { service, environment: "production", from: to - 3600_000, to, widthPx: 900 };

describe("a service's metrics tab", () => {
  it("draws every default panel with id, title, unit, and leaves linkerd panels out when their series do not exist", async () => {
    const source = new FakeSource((query) => (query.includes("response_") || query.includes("request_total{") ? [] : [{ labels: {}, points: [[to, 1]] }]));
    const result = await createMetrics({ sources: { production: source } }).servicePanels(tab);
    expect(result.panels.map((p) => [p.id, p.unit])).toEqual([
      ["request-rate", "req/s"],
      ["error-ratio", "%"],
      ["latency", "ms"],
      ["cpu", "cores"],
      ["memory", "bytes"],
      ["replicas", "count"],
      ["restarts", "count"],
    ]);
    expect(result.panels.find((p) => p.id === "latency")!.series.map((s) => s.labels.legend)).toEqual(["p50", "p95", "p99"]);
    expect(result).toMatchObject({ step: 15, errors: [] });
  });

  it("links each panel to the environment's Prometheus or Grafana with its own query and the range", async () => {
    const source = new FakeSource(() => [{ labels: {}, points: [[to, 1]] }]);
    const links = { production: "https://prometheus.bank.example/graph?g0.expr={{query}}&from={{from}}&to={{to}}" };
    const result = await createMetrics({ sources: { production: source }, links }).servicePanels(tab);
    const rate = result.panels.find((p) => p.id === "request-rate")!;
    const link = new URL(rate.link!);
    expect(link.origin).toBe("https://prometheus.bank.example");
    expect(link.searchParams.get("g0.expr")).toContain('namespace="cards"');
    expect(Number(link.searchParams.get("to"))).toBe(result.to);
    const unlinked = await createMetrics({ sources: { production: source } }).servicePanels(tab);
    expect(unlinked.panels[0]!.link).toBeNull();
  });

  it("lets one panel fail alone, with a message saying why", async () => {
    const source = new FakeSource((query, options) => {
      if (options.purpose?.panelId === "cpu") throw new MetricsQueryError("execution", "Prometheus could not run the query: too many samples", 422);
      return [{ labels: {}, points: [[to, 1]] }];
    });
    const result = await createMetrics({ sources: { production: source } }).servicePanels(tab);
    expect(result.panels.find((p) => p.id === "cpu")).toMatchObject({
      series: [],
      error: { code: "execution", message: "Prometheus could not run the query: too many samples" },
    });
    expect(result.panels.filter((p) => p.error === null)).toHaveLength(result.panels.length - 1);
  });

  it("times out a slow panel on its own", async () => {
    const source = new FakeSource(async (_q, options) => {
      if (options.purpose?.panelId === "memory") await new Promise((r) => setTimeout(r, 2_000));
      return [{ labels: {}, points: [[to, 1]] }];
    });
    const started = Date.now();
    const result = await createMetrics({ sources: { production: source }, panelTimeoutMs: 200 }).servicePanels(tab);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.panels.find((p) => p.id === "memory")!.error?.code).toBe("timeout");
    expect(result.panels.find((p) => p.id === "cpu")!.error).toBeNull();
  });

  it("says how to configure a source instead of failing", async () => {
    const result = await createMetrics({ sources: {} }).servicePanels(tab);
    expect(result.panels).toEqual([]);
    expect(result.errors[0]).toMatchObject({ code: "not_configured", message: expect.stringContaining("metrics.sources in slipway.config.yaml") });
  });

  it("adds annotation panels, bounded in series, and reports the ones that cannot run", async () => {
    const queues = Array.from({ length: 80 }, (_, i) => ({ labels: { queue: String(i) }, points: [[to, 1]] as Array<[number, number]> }));
    const source = new FakeSource((query) => (query.startsWith("sum by (queue)") ? queues : [{ labels: {}, points: [[to, 1]] }]));
    const result = await createMetrics({ sources: { production: source } }).servicePanels({
      ...tab,
      service: { ...service, annotations: { "prometheus.io/rule": 'sum(queue_depth{namespace="{{namespace}}"}), jobs_total|queue, up @ 0' } },
    });
    const extra = result.panels.filter((p) => p.origin === "annotation");
    expect(extra.map((p) => [p.id, p.error?.code ?? null])).toEqual([
      ["rule-1", null],
      ["rule-2", "too_large"],
    ]);
    expect(source.calls.find((c) => c.panelId === "rule-1")!.query).toBe('sum(queue_depth{namespace="cards"})');
    expect(result.errors).toEqual([
      { code: "invalid_query", message: "prometheus.io/rule: query 3: the @ modifier is not allowed (panels follow the chosen time range)" },
    ]);
  });

  it("shows firing and pending alerts of this service only", async () => {
    const alert = (name: string, state: "firing" | "pending", labels: Record<string, string>): MetricsAlert => ({
      name,
      state,
      labels: { alertname: name, ...labels },
      annotations: {},
      activeAt: null,
      value: null,
    });
    const source = new FakeSource();
    source.alertList = [
      alert("KubePodCrashLooping", "pending", { namespace: "cards", pod: "card-api-5d8f7c9b4-x7k2p" }),
      alert("KubePodCrashLooping", "firing", { namespace: "cards", pod: "card-api-worker-7b6c5d4f3-q9z8w" }),
      alert("HighErrorRate", "firing", { namespace: "cards", deployment: "card-api" }),
      alert("HighErrorRate", "firing", { namespace: "payments", deployment: "card-api" }),
      alert("NamespaceQuota", "firing", { namespace: "cards" }),
      alert("PaymentsSLO", "firing", { team: "payments" }),
    ];
    const metrics = createMetrics({ sources: { production: source } });
    const mine = await metrics.serviceAlerts({ service, environment: "production" });
    expect(mine.alerts.map((a) => [a.name, a.state])).toEqual([
      ["HighErrorRate", "firing"],
      ["KubePodCrashLooping", "pending"],
    ]);
    const named = await metrics.serviceAlerts({ service: { ...service, annotations: { "prometheus.io/alert": "PaymentsSLO" } }, environment: "production" });
    expect(named.alerts.map((a) => a.name)).toContain("PaymentsSLO");
    const all = await metrics.serviceAlerts({ service: { ...service, annotations: { "prometheus.io/alert": "all" } }, environment: "production" });
    expect(all.alerts.map((a) => a.name).sort()).toEqual(["HighErrorRate", "KubePodCrashLooping", "KubePodCrashLooping", "NamespaceQuota"]);
  });

  it("compares a rollout's health before and after, the after window ended early by the next rollout", async () => {
    const startedAt = to - 2 * 3600_000;
    const source = new FakeSource((query, options) => {
      const id = options.purpose?.panelId;
      const after = (options.purpose?.windowSeconds ?? 0) < 1800;
      if (id === "health-error-ratio") return [{ labels: {}, points: [[to, after ? 4.1 : 0.2]] }];
      if (id === "health-latency-p95") return [{ labels: {}, points: [[to, after ? 122 : 118]] }];
      return [{ labels: {}, points: [[to, 0]] }];
    });
    const health = await createMetrics({ sources: { production: source }, clock: { now: () => to } }).rolloutHealth({
      service,
      environment: "production",
      startedAt,
      finishedAt: startedAt + 5 * 60_000,
      nextStartedAt: startedAt + 20 * 60_000,
    });
    expect(health.after).toEqual({ from: startedAt + 5 * 60_000, to: startedAt + 20 * 60_000 });
    expect(health.before).toEqual({ from: startedAt - 30 * 60_000, to: startedAt });
    expect(health.verdict).toBe("degraded");
    expect(health.summary).toBe("error ratio 0.2% -> 4.1%");
    expect(health.measures.map((m) => [m.id, m.change])).toEqual([
      ["error-ratio", "worse"],
      ["latency-p95", "unchanged"],
      ["restarts", "unchanged"],
    ]);
  });

  it("refuses a range over 31 days and an empty one", async () => {
    const metrics = createMetrics({ sources: { production: new FakeSource() } });
    await expect(metrics.servicePanels({ ...tab, from: to - 40 * 86_400_000 })).rejects.toMatchObject({ status: 422 });
    await expect(metrics.servicePanels({ ...tab, from: to })).rejects.toMatchObject({ status: 422 });
  });
});

describe("the query cache", () => {
  it("turns 100 concurrent viewers into one query per panel target, and a refresh within the step into none", async () => {
    const source = new FakeSource(undefined, 30);
    let now = to;
    const metrics = createMetrics({ sources: { production: source }, clock: { now: () => now } });
    const views = await Promise.all(Array.from({ length: 100 }, () => metrics.servicePanels(tab)));
    const perView = source.calls.length;
    expect(perView).toBe(19); // the default Deployment tab's targets
    expect(views.every((v) => JSON.stringify(v) === JSON.stringify(views[0]))).toBe(true);
    now += 5_000;
    await metrics.servicePanels({ ...tab, from: tab.from + 5_000, to: tab.to + 5_000 });
    expect(source.calls.length).toBe(perView);
    now += 15_000;
    await metrics.servicePanels({ ...tab, from: tab.from + 20_000, to: tab.to + 20_000 });
    expect(source.calls.length).toBe(2 * perView);
  });

  it("does not keep failures, and one viewer leaving does not cancel the shared query", async () => {
    let fail = true;
    const source = new FakeSource(() => {
      if (fail) throw new MetricsQueryError("unavailable", "down");
      return [{ labels: {}, points: [[0, 1]] }];
    }, 50);
    const cached = new CachedSource(source, { clock: { now: () => to } });
    const range = { start: 0, end: 60, step: 15 };
    await expect(cached.queryRange("up", range, { timeoutMs: 1000 })).rejects.toThrow("down");
    fail = false;
    const leaving = new AbortController();
    const first = cached.queryRange("up", range, { timeoutMs: 1000, signal: leaving.signal });
    const second = cached.queryRange("up", range, { timeoutMs: 1000 });
    leaving.abort(new Error("viewer left"));
    await expect(first).rejects.toThrow("viewer left");
    await expect(second).resolves.toHaveLength(1);
    expect(source.calls).toHaveLength(2);
  });
});
