import "server-only";
import type { KeyObject } from "node:crypto";
import { chainBreak, type ChainedEvent } from "./chain";
import { auditDigestSchema, digestSignatureValid, publicKeyId, type AuditDigest } from "./digest";
import { auditEventSchema } from "./types";

export type OfflineVerification =
  { ok: true; events: number; digests: number; headSeq: string | null; lastAnchoredSeq: string | null } | { ok: false; reason: string };

function parseLines<T>(text: string, what: "export" | "digests", parse: (value: unknown) => T): T[] {
  const out: T[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${what} line ${i + 1} is not JSON`);
    }
    try {
      out.push(parse(value));
    } catch {
      throw new Error(`${what} line ${i + 1} is not a Slipway audit ${what === "export" ? "event" : "digest"}`);
    }
  }
  return out;
}

/**
 * Puts digests (from one or more files, in any order, repeats allowed) into signing order by following
 * previousDigestSignature from the one digest whose predecessor is not among them. More than one such start means
 * a digest between them is missing.
 */
function orderDigests(all: AuditDigest[]): AuditDigest[] | string {
  const bySignature = new Map(all.map((d) => [d.signature, d]));
  const digests = [...bySignature.values()];
  const starts = digests.filter((d) => d.previousDigestSignature === null || !bySignature.has(d.previousDigestSignature));
  if (digests.length && starts.length !== 1) {
    return `the digests do not form one chain: ${starts.length} digests (signed at ${starts.map((d) => d.signedAt).join(", ")}) follow a digest that is not in the files: a digest was removed or a file is incomplete`;
  }
  const next = new Map(digests.filter((d) => d.previousDigestSignature).map((d) => [d.previousDigestSignature!, d]));
  const ordered: AuditDigest[] = [];
  for (let d: AuditDigest | undefined = starts[0]; d; d = next.get(d.signature)) ordered.push(d);
  if (ordered.length !== digests.length) return "the digests do not form one chain: two digests follow the same digest";
  return ordered;
}

/**
 * What an auditor runs away from Slipway's database: the export must be the complete chain (seq 1..n, each link and
 * hash intact), every digest must carry a valid signature by the given public key and follow its predecessor, and
 * the head each digest anchored must be in the export with the same hash, so a removed tail is detected.
 */
export function verifyOffline(input: { events: string; digests: string[]; publicKey: KeyObject }): OfflineVerification {
  let events: ChainedEvent[];
  let digests: AuditDigest[];
  try {
    events = parseLines(input.events, "export", (v) => {
      const e = auditEventSchema.parse(v);
      return { ...e, seq: BigInt(e.seq), occurredAt: new Date(e.occurredAt) };
    });
    digests = input.digests.flatMap((text) => parseLines(text, "digests", (v) => auditDigestSchema.parse(v)));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }

  let previous: ChainedEvent | null = null;
  const bySeq = new Map<bigint, ChainedEvent>();
  for (const event of events) {
    const broken = chainBreak(previous, event);
    if (broken) return { ok: false, reason: `the event chain is broken at seq ${broken.seq} (${broken.id}): ${broken.reason}` };
    bySeq.set(event.seq, event);
    previous = event;
  }

  const ordered = orderDigests(digests);
  if (typeof ordered === "string") return { ok: false, reason: ordered };
  const keyId = publicKeyId(input.publicKey);
  let lastAnchored: bigint | null = null;
  for (const digest of ordered) {
    const name = `the digest signed at ${digest.signedAt} (head seq ${digest.seq})`;
    if (!digestSignatureValid(input.publicKey, digest)) {
      return { ok: false, reason: `${name} has no valid signature by the given public key: it was forged or altered` };
    }
    if (digest.keyId !== keyId)
      return { ok: false, reason: `${name} names key ${digest.keyId.slice(0, 16)}…, not the given public key (${keyId.slice(0, 16)}…)` };
    const seq = BigInt(digest.seq);
    if (lastAnchored !== null && seq < lastAnchored) return { ok: false, reason: `${name} anchors an older head than the digest before it` };
    const event = bySeq.get(seq);
    if (!event) {
      const last = previous ? `seq ${previous.seq}` : "no event";
      return {
        ok: false,
        reason: `${name} anchors event seq ${digest.seq}, which is not in the export (it ends at ${last}): events were removed after the digest was signed`,
      };
    }
    if (event.hash !== digest.hash) {
      return {
        ok: false,
        reason: `${name} anchors seq ${digest.seq} with hash ${digest.hash.slice(0, 16)}…, but the export's event there has ${event.hash.slice(0, 16)}…: the chain was rewritten`,
      };
    }
    if (event.occurredAt.getTime() !== new Date(digest.occurredAt).getTime()) {
      return {
        ok: false,
        reason: `${name} anchors seq ${digest.seq} at ${digest.occurredAt}, but the export's event there occurred at ${event.occurredAt.toISOString()}`,
      };
    }
    lastAnchored = seq;
  }
  return {
    ok: true,
    events: events.length,
    digests: ordered.length,
    headSeq: previous ? previous.seq.toString() : null,
    lastAnchoredSeq: lastAnchored?.toString() ?? null,
  };
}
