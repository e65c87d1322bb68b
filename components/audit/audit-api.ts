import type { AuditEvent, AuditVerification } from "@/server/audit";
import { requestJson } from "@/components/identity/csrf-fetch";
import { auditPageSize } from "./audit-filters";

export type AuditPage = { items: AuditEvent[]; nextCursor: string | null };

export function fetchAuditPage(queryString: string, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  const params = new URLSearchParams(queryString);
  params.set("limit", String(auditPageSize));
  if (cursor) params.set("cursor", cursor);
  return requestJson<AuditPage>(`/api/v1/audit?${params}`, { signal });
}

export function fetchAuditVerification(signal?: AbortSignal): Promise<AuditVerification> {
  return requestJson<AuditVerification>("/api/v1/audit/verify", { signal });
}

export function auditExportHref(format: "jsonl" | "csv", queryString: string): string {
  return `/api/v1/audit/export?format=${format}${queryString ? `&${queryString}` : ""}`;
}
