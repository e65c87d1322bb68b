import { api } from "@/components/api/client";
import { serviceRuntimeSchema } from "@/server/cluster/contract";
import { lineContextSchema, logPageSchema, podLogsSchema } from "@/server/logs/contract";
import type { LogView } from "./log-view";

const base = (service: string) => `/api/v1/services/${encodeURIComponent(service)}`;

/** The filters of a view as the API's query string (no query language: `q` is plain text). */
export function filterParams(view: Pick<LogView, "environment" | "q" | "pod" | "container" | "levels"> & { rollout?: string }): URLSearchParams {
  const query = new URLSearchParams({ environment: view.environment });
  if (view.q) query.set("q", view.q);
  if (view.pod) query.set("pod", view.pod);
  if (view.container) query.set("container", view.container);
  for (const level of view.levels) query.append("level", level);
  if (view.rollout) query.set("rollout", view.rollout);
  return query;
}

export function fetchLogPage(service: string, view: LogView, window: { from: Date; to: Date }, cursor: string | null, signal?: AbortSignal) {
  const query = filterParams(view);
  query.set("from", window.from.toISOString());
  query.set("to", window.to.toISOString());
  if (cursor) query.set("cursor", cursor);
  return api.get(`${base(service)}/logs?${query}`, logPageSchema, { signal });
}

export function fetchLineContext(service: string, environment: string, id: string, signal?: AbortSignal) {
  const query = new URLSearchParams({ environment, id, size: "15" });
  return api.get(`${base(service)}/logs/context?${query}`, lineContextSchema, { signal });
}

export function fetchPodLogs(
  service: string,
  pod: string,
  params: { environment: string; container?: string; previous?: boolean; tailLines?: number },
  signal?: AbortSignal,
) {
  const query = new URLSearchParams({ environment: params.environment });
  if (params.container) query.set("container", params.container);
  if (params.previous) query.set("previous", "true");
  if (params.tailLines) query.set("tailLines", String(params.tailLines));
  return api.get(`${base(service)}/pods/${encodeURIComponent(pod)}/logs?${query}`, podLogsSchema, { signal });
}

export function exportHref(service: string, view: LogView, window: { from: Date; to: Date }): string {
  const query = filterParams(view);
  query.set("from", window.from.toISOString());
  query.set("to", window.to.toISOString());
  return `${base(service)}/logs/export?${query}`;
}

export function streamHref(service: string, view: LogView, since: number | null): string {
  const query = filterParams(view);
  if (since !== null) query.set("since", String(since));
  return `${base(service)}/logs/stream?${query}`;
}

export function fetchRuntime(service: string, signal?: AbortSignal) {
  return api.get(`${base(service)}/runtime`, serviceRuntimeSchema, { signal });
}
