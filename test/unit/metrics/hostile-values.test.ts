import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, escapeLabelValue, PrometheusSource, selector } from "../../../server/metrics";
import { OpenMetricsWriter, startPrometheus, type RunningPrometheus } from "../../fixtures/prometheus";

/** Values a catalogue editor, a URL or a broken integration could hand Slipway; none may change what a query does. */
const HOSTILE = [
  'x"}) or vector(42) or sum(x{a="',
  'cards"} or vector(42) #',
  'cards\\"} or vector(42) or x{a=\\"',
  "\\",
  '\\\\"',
  'cards\n"} or vector(42)',
  '"',
  "`) or vector(42) or (`",
  "' or vector(42) or '",
  "${namespace}",
  "$1",
  "{{namespace}}",
  "}",
  "{",
  'cards",namespace=~".*',
  'cards"} offset 1h or vector(42',
  "\u0000\u0001\u001f\u007f",
  "\r\t\v\f\b",
  'cards\u2028"} or vector(42)',
  "ünïcödé-😀 名前",
  "\ud800 lone surrogate",
  "a".repeat(5000),
  'x" or on() vector(42) or "',
  ".*",
  "x\\x22} or vector(42)",
  'x"} @ 0 or vector(42',
  "",
];

let prometheus: RunningPrometheus;
let source: PrometheusSource;
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-hostile-"));
  const out = new OpenMetricsWriter(path.join(dir, "data.om"));
  const samples = (v: number): Array<[number, number]> => Array.from({ length: 41 }, (_, i) => [now - 600 + i * 15, v]);
  out.series("fixture_requests", { namespace: "cards", pod: "card-api-1" }, samples(1));
  out.close();
  prometheus = await startPrometheus({ openMetricsFile: out.file });
  fs.rmSync(dir, { recursive: true, force: true });
  source = new PrometheusSource({ url: prometheus.url, name: "Prometheus" });
});
afterAll(() => prometheus?.stop());

const opts = { timeoutMs: 10_000 };

describe("hostile label values stay inert against a real Prometheus", () => {
  it("naive interpolation is injectable, so the test can tell", async () => {
    const naive = `sum(fixture_requests{namespace="${HOSTILE[0]}"})`;
    const [series] = await source.query(naive, now, opts);
    expect(series?.points[0]?.[1]).toBe(42);
  });

  it.each(HOSTILE.map((v, i) => [i, v] as const))("value %i matches nothing and never answers 42", async (_i, value) => {
    const series = await source.query(`sum(${selector("fixture_requests", { namespace: value })})`, now, opts);
    expect(series).toEqual([]);
    const query = `sum(${selector("fixture_requests", { namespace: value, pod: value })})`;
    const ranged = await source.queryRange(query, { start: now - 300, end: now, step: 15 }, opts);
    expect(ranged).toEqual([]);
  });

  it("each value reaches Prometheus exactly as written (it is a value, not PromQL)", async () => {
    for (const value of HOSTILE.filter((v) => v !== "" && !v.includes("$"))) {
      const [series] = await source.query(`label_replace(vector(1), "echo", "${escapeLabelValue(value)}", "", "")`, now, opts);
      expect(series?.labels.echo).toBe(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])/g, "\ufffd"));
      expect(series?.points[0]?.[1]).toBe(1);
    }
  });

  it("a service whose namespace or workload is not a Kubernetes name is refused before any query", async () => {
    const before = prometheus.requests();
    const metrics = createMetrics({ sources: { staging: source } });
    for (const value of HOSTILE) {
      for (const service of [
        { namespace: value, workload: "card-api", kind: "Deployment" as const },
        { namespace: "cards", workload: value, kind: "Deployment" as const },
      ]) {
        const tab = metrics.servicePanels({ service, environment: "staging", from: (now - 3600) * 1000, to: now * 1000, widthPx: 800 });
        await expect(tab).rejects.toMatchObject({ status: 422 });
      }
    }
    expect(prometheus.requests()).toBe(before);
  });
});
