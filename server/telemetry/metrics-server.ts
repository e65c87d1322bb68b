import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { telemetry } from "../shared/telemetry";

/**
 * /metrics on a port of its own (SLIPWAY_METRICS_PORT), not beside the app: Prometheus scrapes the pod directly, the
 * Service and the ingress never expose it, a NetworkPolicy can admit only the monitoring namespace to it, and no
 * token has to be issued to Prometheus. It answers even while Next.js is busy.
 */

const portSchema = z.coerce.number().int().min(1).max(65535);

export type MetricsSettings = { port: number; host: string } | null;

/**
 * Where /metrics listens: SLIPWAY_METRICS_PORT (a port, or "off"), on SLIPWAY_METRICS_HOST (default: the app's host).
 * Unset: 9464 (the OpenTelemetry Prometheus exporter's port) in a configured deployment, off on the embedded default,
 * where a laptop's second port would only surprise.
 */
export function metricsSettings(env: Record<string, string | undefined>, defaults: { host: string; embedded: boolean }): MetricsSettings {
  const raw = env.SLIPWAY_METRICS_PORT?.trim();
  const host = env.SLIPWAY_METRICS_HOST?.trim() || defaults.host;
  if (raw === "off") return null;
  if (!raw) return defaults.embedded ? null : { port: 9464, host };
  const port = portSchema.safeParse(raw);
  if (!port.success) throw new Error(`SLIPWAY_METRICS_PORT must be a port number (1-65535) or "off", not "${raw}"`);
  return { port: port.data, host };
}

export type MetricsServer = { port: number; stop(): Promise<void> };

export async function startMetricsServer(settings: { port: number; host: string }): Promise<MetricsServer> {
  const { registry } = telemetry();
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Slipway serves /metrics here.\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : text),
      () => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("collecting metrics failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
