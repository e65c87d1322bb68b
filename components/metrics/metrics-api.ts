import { getJson } from "@/components/catalogue/catalogue-api";
import type { MetricsView, ServiceAlert } from "./types";

export function fetchMetrics(service: string, params: { environment: string; from: Date; to: Date; width: number }, signal?: AbortSignal) {
  const query = new URLSearchParams({
    environment: params.environment,
    from: params.from.toISOString(),
    to: params.to.toISOString(),
    width: String(params.width),
  });
  return getJson<MetricsView>(`/api/v1/services/${encodeURIComponent(service)}/metrics?${query}`, signal);
}

export function fetchAlerts(service: string, environment: string, signal?: AbortSignal) {
  return getJson<{ alerts: ServiceAlert[]; errors: Array<{ code: string; message: string }> }>(
    `/api/v1/services/${encodeURIComponent(service)}/alerts?environment=${encodeURIComponent(environment)}`,
    signal,
  );
}
