import type { InboxItem, ReleaseView, RolloutView, WorkloadAction, EnvironmentStatus } from "./types";

/**
 * The browser's calls to the releases API. Cookie-authenticated mutations echo the `slipway_csrf` cookie in
 * `x-csrf-token`; failures become a ReleasesProblem whose `detail` the server wrote to be shown to people.
 */
export class ReleasesProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(detail);
    this.name = "ReleasesProblem";
  }
}

function csrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === "slipway_csrf") return decodeURIComponent(value.join("="));
  }
  return undefined;
}

async function call<T>(path: string, init: { method?: "GET" | "POST" | "DELETE"; json?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? "GET";
  const headers = new Headers({ accept: "application/json, application/problem+json" });
  if (method !== "GET") {
    const token = csrfToken();
    if (token) headers.set("x-csrf-token", token);
  }
  if (init.json !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      signal: init.signal,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ReleasesProblem(0, "Network error", "Slipway could not be reached. Check your connection and try again.");
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as { title?: unknown; detail?: unknown; errors?: unknown } | null;
  const fallback = response.status === 401 ? "Your session has ended. Sign in again." : `The request failed (HTTP ${response.status}).`;
  const errors = Array.isArray(body?.errors)
    ? body.errors.filter((e): e is { path: string; message: string } => typeof e?.path === "string" && typeof e?.message === "string")
    : [];
  throw new ReleasesProblem(
    response.status,
    typeof body?.title === "string" ? body.title : response.statusText,
    typeof body?.detail === "string" && body.detail ? body.detail : fallback,
    errors,
  );
}

/** A sentence for any failure, with the field messages the server attached. */
export function problemText(error: unknown): string {
  if (error instanceof ReleasesProblem) {
    const fields = error.errors.map((e) => (e.path && e.path !== "(root)" ? `${e.path}: ${e.message}` : e.message));
    return fields.length ? `${error.detail} ${fields.join("; ")}.` : error.detail;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

const enc = encodeURIComponent;

export type DeploysPage = { environments: EnvironmentStatus[]; releases: ReleaseView[]; history: RolloutView[]; nextCursor: string | null };

export const releasesApi = {
  requestRollout: (input: { service: string; environment: string; version: string; reason?: string }) =>
    call<RolloutView>("/api/v1/rollouts", { method: "POST", json: input }),
  decide: (id: string, decision: "approve" | "reject", comment: string) =>
    call<RolloutView>(`/api/v1/rollouts/${enc(id)}/${decision}`, { method: "POST", json: { comment } }),
  cancel: (id: string, reason?: string) => call<RolloutView>(`/api/v1/rollouts/${enc(id)}/cancel`, { method: "POST", json: reason ? { reason } : {} }),
  rollback: (id: string, input: { toVersion?: string; reason?: string }) =>
    call<RolloutView>(`/api/v1/rollouts/${enc(id)}/rollback`, { method: "POST", json: input }),
  operate: (service: string, environment: string, action: WorkloadAction, reason?: string) =>
    call<{ workloads: string[] }>(`/api/v1/services/${enc(service)}/environments/${enc(environment)}/${action}`, {
      method: "POST",
      json: reason ? { reason } : {},
    }),
  myCheckpoints: (signal?: AbortSignal) => call<{ items: InboxItem[]; count: number }>("/api/v1/checkpoints?mine=true", { signal }),
  deploys: (service: string, query: { environment?: string; cursor?: string; limit?: number }, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.environment) params.set("environment", query.environment);
    if (query.cursor) params.set("cursor", query.cursor);
    return call<DeploysPage>(`/api/v1/services/${enc(service)}/deploys?${params}`, { signal });
  },
};
