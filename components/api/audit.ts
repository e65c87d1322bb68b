import { auditPageSchema, auditVerificationSchema } from "@/server/audit/contract";
import { auditPageSize } from "@/components/audit/audit-filters";
import { api } from "./client";

/** The audit trail's endpoints as the browser calls them. */

export function fetchAuditPage(queryString: string, cursor: string | null, signal?: AbortSignal) {
  const params = new URLSearchParams(queryString);
  params.set("limit", String(auditPageSize));
  if (cursor) params.set("cursor", cursor);
  return api.get(`/api/v1/audit?${params}`, auditPageSchema, { signal });
}

export const fetchAuditVerification = (signal?: AbortSignal) => api.get("/api/v1/audit/verify", auditVerificationSchema, { signal });

export function auditExportHref(format: "jsonl" | "csv", queryString: string): string {
  return `/api/v1/audit/export?format=${format}${queryString ? `&${queryString}` : ""}`;
}
