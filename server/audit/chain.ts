import "server-only";
import { createHash } from "node:crypto";

export const genesisHash = "0".repeat(64);

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export type ChainedContent = {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
  requestId: string | null;
  sourceIp: string | null;
};

/** sha-256 over the previous event's hash and this event's canonical content. */
export function eventHash(prevHash: string, content: ChainedContent): string {
  return createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(canonicalJson({ ...content, occurredAt: content.occurredAt.toISOString() }))
    .digest("hex");
}

/** An event as the chain checks it: from the database or from a JSON Lines export. */
export type ChainedEvent = ChainedContent & { seq: bigint; prevHash: string; hash: string };

export type ChainBreak = { seq: string; id: string; reason: string };

/**
 * Checks one event against the one before it (null for the first): seq is gapless from 1, each event names the
 * previous event's hash, and its own hash matches its content. Returns why not, or null.
 */
export function chainBreak(previous: { seq: bigint; hash: string } | null, event: ChainedEvent): ChainBreak | null {
  const at = { seq: event.seq.toString(), id: event.id };
  const expectedSeq = previous ? previous.seq + 1n : 1n;
  if (event.seq !== expectedSeq) {
    const missing = event.seq - expectedSeq;
    return missing > 0n
      ? { ...at, reason: `seq jumps from ${expectedSeq - 1n} to ${event.seq}: ${missing} event${missing === 1n ? " was" : "s were"} removed` }
      : { ...at, reason: `seq ${event.seq} follows ${expectedSeq - 1n}: events are out of order or repeated` };
  }
  const prevHash = previous?.hash ?? genesisHash;
  if (event.prevHash !== prevHash) {
    return { ...at, reason: "the previous event's hash does not match: an event before this one was removed, added or altered" };
  }
  if (eventHash(prevHash, chainedContent(event)) !== event.hash) {
    return { ...at, reason: "the event's content does not match its hash: it was altered" };
  }
  return null;
}

/** Exactly the hashed fields: a row or an exported line may carry more (seq, generated columns). */
export function chainedContent(event: ChainedContent): ChainedContent {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actorType: event.actorType,
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    details: event.details,
    requestId: event.requestId,
    sourceIp: event.sourceIp,
  };
}
