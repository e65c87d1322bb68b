import { api } from "@/components/api/client";
import { metricsViewSchema } from "@/components/api/metrics";
import { errorRateSchema } from "@/server/logs/contract";
import { serviceAlertsSchema } from "@/server/metrics/contract";

export function fetchMetrics(service: string, params: { environment: string; from: Date; to: Date; width: number }, signal?: AbortSignal) {
  const query = new URLSearchParams({
    environment: params.environment,
    from: params.from.toISOString(),
    to: params.to.toISOString(),
    width: String(params.width),
  });
  return api.get(`/api/v1/services/${encodeURIComponent(service)}/metrics?${query}`, metricsViewSchema, { signal });
}

/** Error log lines per minute from the environment's log store; `errors` says why there are none (no store, or it failed). */
export function fetchErrorRate(service: string, params: { environment: string; from: number; to: number }, signal?: AbortSignal) {
  const query = new URLSearchParams({ environment: params.environment, from: String(params.from), to: String(params.to) });
  return api.get(`/api/v1/services/${encodeURIComponent(service)}/logs/error-rate?${query}`, errorRateSchema, { signal });
}

export function fetchAlerts(service: string, environment: string, signal?: AbortSignal) {
  return api.get(`/api/v1/services/${encodeURIComponent(service)}/alerts?environment=${encodeURIComponent(environment)}`, serviceAlertsSchema, { signal });
}
