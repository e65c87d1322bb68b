import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { metricsFromConfig } from "../../../server/metrics";
import { parseSlipwayConfig } from "../../../server/shared/config-file";

const yaml = (url: string, extra = "") => `
environments:
  - name: staging
  - name: production
    production: true
metrics:
  sources:
    - environment: production
      url: ${url}
      bearerToken: { env: PROM_TOKEN }
      headers: { X-Scope-OrgID: harbourbank }
      timeoutSeconds: 5
  names:
    requestsTotal: http_server_requests_seconds_count
    statusLabel: status
${extra}`;

describe("metrics in slipway.config.yaml", () => {
  it("builds a Prometheus source per environment with its secrets and tenant header; others say how to configure one", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const config = parseSlipwayConfig(yaml(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), "slipway.config.yaml");
      const metrics = metricsFromConfig(config.metrics, { environments: ["staging", "production"], env: { PROM_TOKEN: "s3cret" } });
      const service = { namespace: "cards", workload: "card-api", kind: "Deployment" as const };
      const range = { service, from: Date.now() - 3600_000, to: Date.now(), widthPx: 600 };
      const tab = await metrics.servicePanels({ ...range, environment: "production" });
      expect(tab.errors).toEqual([]);
      expect(seen[0]).toMatchObject({ authorization: "Bearer s3cret", "x-scope-orgid": "harbourbank" });
      const queries = bodies.map((b) => new URLSearchParams(b).get("query") ?? "");
      expect(queries.some((q) => q.includes('http_server_requests_seconds_count{namespace="cards",status=~"5.."}'))).toBe(true);
      expect((await metrics.servicePanels({ ...range, environment: "staging" })).errors[0]!.code).toBe("not_configured");
    } finally {
      server.close();
    }
  });

  it("fails at start on a missing secret, an unknown environment, a bad name or an unknown placeholder", () => {
    const config = (extra = "", url = "http://prometheus:9090") => parseSlipwayConfig(yaml(url, extra), "slipway.config.yaml").metrics;
    expect(() => metricsFromConfig(config(), { environments: ["staging", "production"], env: {} })).toThrow(/PROM_TOKEN is not set/);
    expect(() => metricsFromConfig(config(), { environments: ["staging"], env: { PROM_TOKEN: "x" } })).toThrow(/"production" is not one of the environments/);
    const badLabel = yaml("http://p:9090").replace("statusLabel: status", "statusLabel: status-code");
    expect(() => parseSlipwayConfig(badLabel, "f.yaml")).toThrow(/a Prometheus label name/);
    const panels = '  panels:\n    - { id: queue, title: Queue, unit: count, targets: [{ legend: depth, query: "sum(queue{ns=\\"{{nmespace}}\\"})" }] }\n';
    const deps = { environments: ["staging", "production"], env: { PROM_TOKEN: "x" } };
    expect(() => metricsFromConfig(config(panels), deps)).toThrow(/metrics.panels queue \(depth\): The query uses \{\{nmespace\}\}/);
  });
});
