import { describe, expect, it } from "vitest";
import { DEFAULT_METRIC_NAMES, DEFAULT_PANEL_TEMPLATES, escapeLabelValue, selector } from "../../../server/metrics";
import { renderQuery } from "../../../server/metrics/templates";

describe("PromQL escaping and rendering", () => {
  it("escapes label values by Go string rules", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue("\u0000\t\u007f")).toBe("\\x00\\x09\\x7f");
    expect(escapeLabelValue("ünï 😀")).toBe("ünï 😀");
    expect(escapeLabelValue("\ud800")).toBe("\\ufffd");
  });

  it("refuses names PromQL cannot quote", () => {
    expect(selector("http_requests_total", { namespace: "cards" })).toBe('http_requests_total{namespace="cards"}');
    expect(() => selector("http-requests", {})).toThrow(/not a Prometheus metric name/);
    expect(() => selector("up", { 'a="x"} or vector(1) or up{b': "x" })).toThrow(/not a Prometheus label name/);
  });

  it("fills every default template's placeholders and leaves no {{ }} behind", () => {
    const service = { namespace: "cards", workload: "card-api", kind: "Rollout" as const };
    for (const template of DEFAULT_PANEL_TEMPLATES) {
      for (const target of template.targets) {
        const query = renderQuery(target.query, { service, names: DEFAULT_METRIC_NAMES, rateWindowSeconds: 60 });
        expect(query).not.toMatch(/\{\{|\}\}/);
        expect(query).toContain('namespace="cards"');
      }
    }
    const cpu = DEFAULT_PANEL_TEMPLATES.find((t) => t.id === "cpu")!.targets[0]!.query;
    const context = { service, names: DEFAULT_METRIC_NAMES, rateWindowSeconds: 75 };
    expect(renderQuery(cpu, context)).toContain('kube_replicaset_owner{namespace="cards",owner_kind="Rollout",owner_name="card-api"}');
    expect(() => renderQuery('up{a="{{nope}}"}', context)).toThrow(/\{\{nope\}\}, which is not one of/);
  });

  it("uses the configured metric and label names", () => {
    const names = { ...DEFAULT_METRIC_NAMES, requestsTotal: "requests_count", statusLabel: "status", errorStatusPattern: "5..|429" };
    const errors = DEFAULT_PANEL_TEMPLATES.find((t) => t.id === "error-ratio")!.targets[0]!.query;
    const query = renderQuery(errors, { service: { namespace: "cards", workload: "card-api", kind: "Deployment" }, names, rateWindowSeconds: 60 });
    expect(query).toContain('requests_count{namespace="cards",status=~"5..|429"}[60s]');
    expect(query).not.toContain("http_requests_total");
  });
});
