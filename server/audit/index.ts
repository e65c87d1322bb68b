import "server-only";
import { database, type Db } from "../shared/db";
import { findAuditEvents, streamAuditEvents, verifyAuditChain } from "./audit-repository";
import type { AuditQuery } from "./types";

export * from "./types";
export { withAudit, type Audit } from "./with-audit";
export { canonicalJson } from "./chain";

const prisma = async (db?: Db) => db ?? (await database()).prisma;

export async function listAuditEvents(query: AuditQuery, db?: Db) {
  return findAuditEvents(await prisma(db), query);
}

export async function verifyAudit(db?: Db) {
  return verifyAuditChain(await prisma(db));
}

export async function exportAuditEvents(query: AuditQuery, db?: Db) {
  return streamAuditEvents(await prisma(db), query);
}

export const auditCsvColumns = [
  "seq", "id", "occurredAt", "actorType", "actorId", "actorName", "action", "targetType", "targetId",
  "requestId", "sourceIp", "details", "prevHash", "hash",
] as const;

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
