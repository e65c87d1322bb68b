import { describe, expect, it } from "vitest";
import { annotationPanels, metricsAnnotationProblems, promqlProblem } from "../../../server/metrics";

describe("annotation panels written by catalogue editors", () => {
  it("reads Backstage's prometheus.io/rule: comma-separated queries with an optional |label grouping", () => {
    const { templates, problems } = annotationPanels({
      "prometheus.io/rule": 'sum by (queue, shard) (rate(jobs_total{namespace="mail"}[5m]))|queue, memUsage',
    });
    expect(problems).toEqual([]);
    expect(templates.map((t) => t.targets[0]!.query)).toEqual(['sum by (queue) (sum by (queue, shard) (rate(jobs_total{namespace="mail"}[5m])))', "memUsage"]);
  });

  it("reads Slipway's slipway.io/metrics-panels and its placeholders", () => {
    const { templates, problems } = annotationPanels({
      "slipway.io/metrics-panels": JSON.stringify([
        { title: "Queue depth", unit: "count", query: 'sum(queue_depth{namespace="{{namespace}}"})' },
        { title: "x", unit: "parsecs", query: "up" },
      ]),
    });
    expect(templates).toMatchObject([{ id: "panel-1", title: "Queue depth", unit: "count" }]);
    expect(problems).toEqual([{ annotation: "slipway.io/metrics-panels", message: "panel 2: unit must be one of req/s, %, ms, cores, bytes, count" }]);
  });

  it.each([
    ["up @ 1609746000", /@ modifier/],
    ["up offset 30d", /further back than 7 days/],
    ["rate(up[30d])", /longer than 24 h/],
    ["max_over_time(rate(up[5m])[90d:1m])", /longer than 24 h/],
    ['sum(up{job="x})', /quote is not closed/],
    ["sum(rate(up[5m])", /not closed/],
    ["sum(up))", /no matching opening/],
    ["up # hidden", /comments/],
    ['up{a="{{window}}"}', /not a placeholder/],
    ["x".repeat(1001), /longer than 1000/],
    ["rate(up[five])", /is not a range/],
  ])("refuses %s", (query, why) => {
    expect(promqlProblem(query)).toMatch(why);
  });

  it("accepts ordinary queries, strings with brackets and @ inside them, and {{rate_interval}}", () => {
    expect(promqlProblem('sum by (code) (rate(http_requests_total{path="/a[b]@c#d"}[{{rate_interval}}]))')).toBeNull();
    expect(promqlProblem("up offset 1h")).toBeNull();
    expect(promqlProblem("max_over_time(up[1h:1m])")).toBeNull();
  });

  it("gives the catalogue import readable problems, alert names included", () => {
    expect(metricsAnnotationProblems({ "prometheus.io/rule": "up @ 0", "prometheus.io/alert": "HighErrorRate, not an alert!" })).toEqual([
      "prometheus.io/rule: query 1: the @ modifier is not allowed (panels follow the chosen time range)",
      "prometheus.io/alert: list alert names separated by commas, or write all",
    ]);
    expect(metricsAnnotationProblems({ "prometheus.io/alert": "all" })).toEqual([]);
  });

  it("caps the number of annotation panels", () => {
    const rule = Array.from({ length: 9 }, (_, i) => `metric_${i}`).join(",");
    const { templates, problems } = annotationPanels({ "prometheus.io/rule": rule });
    expect(templates).toHaveLength(6);
    expect(problems[0]?.message).toMatch(/only the first 6/);
  });
});
