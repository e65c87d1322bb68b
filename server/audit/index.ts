import "server-only";
import { config } from "../shared/config";
import { database, type Db } from "../shared/db";
import { appendAuditHistory, findAuditEvents, streamAuditEvents, verifyAuditChain, type HistoricalAuditEvent } from "./audit-repository";
import { findAuditDigests, startAuditDigestJob, type AuditDigestJob } from "./digest-job";
import { loadAuditSigningKey, type AuditSigningKey } from "./signing-key";
import type { AuditQuery } from "./types";

export * from "./types";
export { withAudit, type Audit } from "./with-audit";

export type { HistoricalAuditEvent } from "./audit-repository";
export { type AuditDigest } from "./digest";
export { signAuditHead, startAuditDigestJob, digestFileName, type AuditDigestJob } from "./digest-job";
export { verifyOffline, type OfflineVerification } from "./offline-verify";
export { loadAuditSigningKey, type AuditSigningKey } from "./signing-key";

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
  "seq",
  "id",
  "occurredAt",
  "actorType",
  "actorId",
  "actorName",
  "action",
  "targetType",
  "targetId",
  "requestId",
  "sourceIp",
  "details",
  "prevHash",
  "hash",
] as const;

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

let signingKey: { for: ReturnType<typeof config>; key: AuditSigningKey | null } | undefined;
/** The configured digest signing key (loaded, or generated on the embedded database, once); null: digests are off. */
export function auditSigningKey(): AuditSigningKey | null {
  const c = config();
  if (signingKey?.for !== c) signingKey = { for: c, key: loadAuditSigningKey(c) };
  return signingKey.key;
}

/** Records past events (the demo's seeded history) in one transaction, in the order given. */
export async function recordAuditHistory(events: HistoricalAuditEvent[], db?: Db): Promise<void> {
  const client = await prisma(db);
  await client.$transaction((tx) => appendAuditHistory(tx, events), { timeout: 120_000, maxWait: 15_000 });
}

export async function listAuditDigests(options: { after?: bigint; limit: number }, db?: Db) {
  return findAuditDigests(await prisma(db), options);
}

/** The periodic digest signer for `npm start`; null (and a warning to log) when no key is configured. */
export function startAuditDigests(db: Db): AuditDigestJob | null {
  const key = auditSigningKey();
  if (!key) return null;
  const c = config().audit;
  return startAuditDigestJob(db, key, { intervalMs: c.digestIntervalMs, digestDir: c.digestDir });
}
