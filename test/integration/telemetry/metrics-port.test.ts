import { describe, expect, it } from "vitest";
import { metricsSettings, startMetricsServer } from "../../../server/telemetry";

describe("the /metrics port", () => {
  const defaults = { host: "0.0.0.0", embedded: false };

  it("is on 9464 in a configured deployment, off on the embedded default, and wherever SLIPWAY_METRICS_PORT says", () => {
    expect(metricsSettings({}, defaults)).toEqual({ port: 9464, host: "0.0.0.0" });
    expect(metricsSettings({}, { ...defaults, embedded: true })).toBeNull();
    expect(metricsSettings({ SLIPWAY_METRICS_PORT: "9100" }, { ...defaults, embedded: true })).toEqual({ port: 9100, host: "0.0.0.0" });
    expect(metricsSettings({ SLIPWAY_METRICS_PORT: "off" }, defaults)).toBeNull();
    expect(metricsSettings({ SLIPWAY_METRICS_PORT: "9100", SLIPWAY_METRICS_HOST: "10.0.0.5" }, defaults)).toEqual({ port: 9100, host: "10.0.0.5" });
    expect(() => metricsSettings({ SLIPWAY_METRICS_PORT: "99999" }, defaults)).toThrow(/SLIPWAY_METRICS_PORT must be a port number/);
  });

  it("answers /metrics in Prometheus text format and nothing else", async () => {
    const server = await startMetricsServer({ port: 0, host: "127.0.0.1" });
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain("# TYPE slipway_http_requests_total counter");
      expect(text).toContain("# TYPE process_resident_memory_bytes gauge");
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: "POST" })).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
