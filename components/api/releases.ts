import { deploysPageSchema, inboxSchema, operatedWorkloadsSchema, rolloutViewSchema, type WorkloadAction } from "@/server/releases/contract";
import { api } from "./client";

/** The releases module's endpoints as the browser calls them. */

const enc = encodeURIComponent;

export const releasesApi = {
  requestRollout: (input: { service: string; environment: string; version: string; reason?: string }) => api.post("/api/v1/rollouts", input, rolloutViewSchema),
  decide: (id: string, decision: "approve" | "reject", comment: string) => api.post(`/api/v1/rollouts/${enc(id)}/${decision}`, { comment }, rolloutViewSchema),
  cancel: (id: string, reason?: string) => api.post(`/api/v1/rollouts/${enc(id)}/cancel`, reason ? { reason } : {}, rolloutViewSchema),
  rollback: (id: string, input: { toVersion?: string; reason?: string }) => api.post(`/api/v1/rollouts/${enc(id)}/rollback`, input, rolloutViewSchema),
  operate: (service: string, environment: string, action: WorkloadAction, reason?: string) =>
    api.post(`/api/v1/services/${enc(service)}/environments/${enc(environment)}/${action}`, reason ? { reason } : {}, operatedWorkloadsSchema),
  myCheckpoints: (signal?: AbortSignal) => api.get("/api/v1/checkpoints?mine=true", inboxSchema, { signal }),
  deploys: (service: string, query: { environment?: string; cursor?: string; limit?: number }, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.environment) params.set("environment", query.environment);
    if (query.cursor) params.set("cursor", query.cursor);
    return api.get(`/api/v1/services/${enc(service)}/deploys?${params}`, deploysPageSchema, { signal });
  },
};
