import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "../shared/generated/prisma/client";
import type { Db, DbTx } from "../shared/db";
import { chainBreak, eventHash, genesisHash, type ChainedContent } from "./chain";
import type { AuditEvent, AuditInput, AuditQuery, AuditVerification, RequestContext } from "./types";

/** One writer at a time extends the chain: a transaction-scoped advisory lock, shared by every replica. */
const chainLockKey = 0x5a1d_a0d1;

export async function appendAuditEvent(tx: DbTx, context: RequestContext, input: AuditInput): Promise<string> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${chainLockKey}::bigint)`;
  // seq is gapless: assigned here under the lock, so a rolled-back transaction consumes nothing and a gap in a
  // verified chain can only mean removed events.
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const prevHash = last?.hash ?? genesisHash;
  const seq = (last?.seq ?? 0n) + 1n;
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
    data: { ...content, seq, details: content.details as Prisma.InputJsonValue, prevHash, hash },
  });
  return content.id;
}

/** An event that happened before Slipway recorded it (the demo's seeded deploy history), with its own time and actor. */
export type HistoricalAuditEvent = AuditInput & { occurredAt: Date; context: RequestContext };

/**
 * Appends past events to the chain in the order given (their historical order), under the same lock and with the
 * same gapless seq and hashes as live events: the seeded history verifies like everything else.
 */
export async function appendAuditHistory(tx: DbTx, events: HistoricalAuditEvent[]): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${chainLockKey}::bigint)`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  let prevHash = last?.hash ?? genesisHash;
  let seq = last?.seq ?? 0n;
  const rows: Prisma.AuditEventCreateManyInput[] = [];
  for (const event of events) {
    const content: ChainedContent = {
      id: randomUUID(),
      occurredAt: event.occurredAt,
      actorType: event.context.actor.type,
      actorId: event.context.actor.id ?? null,
      actorName: event.context.actor.name,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId ?? null,
      details: JSON.parse(JSON.stringify(event.details ?? {})),
      requestId: event.context.requestId,
      sourceIp: event.context.sourceIp ?? null,
    };
    const hash = eventHash(prevHash, content);
    seq++;
    rows.push({ ...content, seq, details: content.details as Prisma.InputJsonValue, prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += 500) await tx.auditEvent.createMany({ data: rows.slice(i, i + 500) });
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
    ...(query.action
      ? query.action.endsWith(".") || query.action.endsWith("*")
        ? { action: { startsWith: query.action.replace(/\*$/, "") } }
        : { action: query.action }
      : {}),
    // A service's trail also holds the events of its rollouts (targets "rollout", details.service = the service).
    ...(query.targetType === "service" && query.target
      ? {
          OR: [
            { targetType: "service", targetId: query.target },
            { targetType: "rollout", details: { path: ["service"], equals: query.target } },
          ],
        }
      : {
          ...(query.targetType ? { targetType: query.targetType } : {}),
          ...(query.target ? { targetId: query.target } : {}),
        }),
    // Generated columns (details.environment, a rollout event's after-state), indexed together with seq.
    ...(query.environment ? { environment: query.environment } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
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

/**
 * Recomputes the chain from the first event: a removed, inserted or altered event breaks it, and so does a gap in
 * seq. Removing the newest events leaves a valid shorter chain: signed digests (digest-job.ts) detect that.
 */
export async function verifyAuditChain(db: Db): Promise<AuditVerification> {
  let previous: { seq: bigint; hash: string } | null = null;
  let events = 0;
  for (;;) {
    const after: bigint | undefined = previous?.seq;
    const rows: Row[] = await db.auditEvent.findMany({
      where: after !== undefined ? { seq: { gt: after } } : {},
      orderBy: { seq: "asc" },
      take: 2000,
    });
    for (const row of rows) {
      const broken = chainBreak(previous, row);
      if (broken) return { ok: false, events, brokenAt: { seq: broken.seq, id: broken.id }, reason: broken.reason };
      previous = { seq: row.seq, hash: row.hash };
      events++;
    }
    if (rows.length < 2000) break;
  }
  // A cut-off tail leaves a valid, shorter chain; the newest signed digest still names the head it saw. (Someone
  // who also deletes digest rows passes this check: the offline verifier with the auditor's own digests does not.)
  const anchored = await db.auditDigest.findFirst({ orderBy: { id: "desc" } });
  if (anchored) {
    const head = previous?.seq ?? 0n;
    const at = anchored.headSeq <= head ? await db.auditEvent.findUnique({ where: { seq: anchored.headSeq }, select: { id: true, hash: true } }) : null;
    const signed = `the digest signed at ${anchored.signedAt.toISOString()}`;
    if (!at) {
      return {
        ok: false,
        events,
        brokenAt: { seq: (head + 1n).toString(), id: "" },
        reason: `${signed} anchors event seq ${anchored.headSeq}, but the chain ends at seq ${head}: the newest events were removed`,
      };
    }
    if (at.hash !== anchored.headHash) {
      return {
        ok: false,
        events,
        brokenAt: { seq: anchored.headSeq.toString(), id: at.id },
        reason: `${signed} anchors another hash for this event: the chain was rewritten`,
      };
    }
  }
  return { ok: true, events, lastHash: previous?.hash ?? null };
}
