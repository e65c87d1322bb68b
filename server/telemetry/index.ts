import "server-only";

/**
 * Slipway's own telemetry, for the composition root: the HTTP wrapper (request ids, request metrics, the request
 * log), the /metrics server, and the database figures read on each scrape. The instruments themselves live in
 * server/shared/telemetry.ts, where every layer can record into them.
 */
export { instrumentHttp } from "./instrument-http";
export { startTelemetry } from "./start-telemetry";
export { routeTable } from "./route-templates";
export { metricsSettings, startMetricsServer } from "./metrics-server";
