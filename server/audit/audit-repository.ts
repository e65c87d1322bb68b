import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "../shared/generated/prisma/client";
import type { Db, DbTx } from "../shared/db";
import { eventHash, genesisHash, type ChainedContent } from "./chain";
import type { AuditEvent, AuditInput, AuditQuery, AuditVerification, RequestContext } from "./types";

/** One writer at a time extends the chain: a transaction-scoped advisory lock, shared by every replica. */
const chainLockKey = 0x5a1d_a0d1;

export async function appendAuditEvent(tx: DbTx, context: RequestContext, input: AuditInput): Promise<string> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${chainLockKey}::bigint)`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? genesisHash;
  const content: ChainedContent = {
    id: randomUUID(),
    occurredAt: new Date(),
    actorType: context.actor.type,
    actorId: context.actor.id ?? null,
    actorName: context.actor.name,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})),
    requestId: context.requestId,
    sourceIp: context.sourceIp ?? null,
  };
  const hash = eventHash(prevHash, content);
  await tx.auditEvent.create({
    data: { ...content, details: content.details as Prisma.InputJsonValue, prevHash, hash },
  });
  return content.id;
}

type Row = Awaited<ReturnType<Db["auditEvent"]["findFirstOrThrow"]>>;

export function toAuditEvent(row: Row): AuditEvent {
  return {
    seq: row.seq.toString(),
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: (row.details ?? {}) as Record<string, unknown>,
    requestId: row.requestId,
    sourceIp: row.sourceIp,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

function where(query: AuditQuery): Prisma.AuditEventWhereInput {
  return {
    ...(query.actor ? { actorName: query.actor } : {}),
    ...(query.action ? (query.action.endsWith(".") || query.action.endsWith("*") ? { action: { startsWith: query.action.replace(/\*$/, "") } } : { action: query.action }) : {}),
    // A service's trail also holds the events of its rollouts (targets "rollout", details.service = the service).
    ...(query.targetType === "service" && query.target
      ? { OR: [{ targetType: "service", targetId: query.target }, { targetType: "rollout", details: { path: ["service"], equals: query.target } }] }
      : {
          ...(query.targetType ? { targetType: query.targetType } : {}),
          ...(query.target ? { targetId: query.target } : {}),
        }),
    ...(query.since || query.until
      ? { occurredAt: { ...(query.since ? { gte: new Date(query.since) } : {}), ...(query.until ? { lt: new Date(query.until) } : {}) } }
      : {}),
    ...(query.cursor ? { seq: { lt: BigInt(query.cursor) } } : {}),
  };
}

export async function findAuditEvents(db: Db, query: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const rows = await db.auditEvent.findMany({ where: where(query), orderBy: { seq: "desc" }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toAuditEvent),
    nextCursor: rows.length > query.limit && page.length ? page.at(-1)!.seq.toString() : null,
  };
}

/** Every matching event, oldest first, in batches: for exports of any size. */
export async function* streamAuditEvents(db: Db, query: AuditQuery): AsyncGenerator<AuditEvent> {
  let after: bigint | undefined;
  const base = where({ ...query, cursor: undefined });
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { ...base, ...(after !== undefined ? { seq: { gt: after } } : {}) },
      orderBy: { seq: "asc" },
      take: 1000,
    });
    for (const row of rows) yield toAuditEvent(row);
    if (rows.length < 1000) return;
    after = rows.at(-1)!.seq;
  }
}

/** Recomputes the chain from the first event: a removed, inserted or altered event breaks it. */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  let prevHash = genesisHash;
  let events = 0;
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: after !== undefined ? { seq: { gt: after } } : {},
      orderBy: { seq: "asc" },
      take: 2000,
    });
    for (const row of rows) {
      const brokenAt = { seq: row.seq.toString(), id: row.id };
      if (row.prevHash !== prevHash) {
        return { ok: false, events, brokenAt, reason: "the previous event's hash does not match: an event before this one was removed, added or altered" };
      }
      const expected = eventHash(prevHash, {
        id: row.id,
        occurredAt: row.occurredAt,
        actorType: row.actorType,
        actorId: row.actorId,
        actorName: row.actorName,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        details: row.details,
        requestId: row.requestId,
        sourceIp: row.sourceIp,
      });
      if (expected !== row.hash) {
        return { ok: false, events, brokenAt, reason: "the event's content does not match its hash: it was altered" };
      }
      prevHash = row.hash;
      events++;
    }
    if (rows.length < 2000) return { ok: true, events, lastHash: events ? prevHash : null };
    after = rows.at(-1)!.seq;
  }
}
