import { ProblemError } from "@/components/catalogue/catalogue-api";
import type { MetricsView, ServiceAlert } from "./types";

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: "application/json" }, credentials: "same-origin" });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ProblemError(0, "Network error", "Slipway could not be reached. Check your connection and try again.");
  }
  if (response.ok) return (await response.json()) as T;
  const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
  throw new ProblemError(response.status, problem.title ?? response.statusText, problem.detail);
}

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
