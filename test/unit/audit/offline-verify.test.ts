import { generateKeyPairSync, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { eventHash, genesisHash } from "@/server/audit/chain";
import { signDigest, type AuditDigest } from "@/server/audit/digest";
import { verifyOffline } from "@/server/audit/offline-verify";

/** A chain of n events as the export writes them, and a signer of digests over its heads. */
function exportOf(n: number) {
  const events = [];
  let prevHash = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      id: randomUUID(),
      occurredAt: new Date(Date.UTC(2026, 11, 1, 9, seq)),
      actorType: "person",
      actorId: null,
      actorName: "amara.okafor",
      action: "token.create",
      targetType: "token",
      targetId: `t${seq}`,
      details: { after: { name: `t${seq}` } },
      requestId: `req-${seq}`,
      sourceIp: "10.0.0.7",
    };
    const hash = eventHash(prevHash, content);
    events.push({ seq: String(seq), ...content, occurredAt: content.occurredAt.toISOString(), prevHash, hash });
    prevHash = hash;
  }
  return events;
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

function digestsOver(events: ReturnType<typeof exportOf>, heads: number[], key = generateKeyPairSync("ed25519")) {
  const digests: AuditDigest[] = [];
  for (const head of heads) {
    const event = events[head - 1]!;
    digests.push(
      signDigest(key.privateKey, {
        seq: event.seq,
        hash: event.hash,
        occurredAt: event.occurredAt,
        previousDigestSignature: digests.at(-1)?.signature ?? null,
        signedAt: new Date(Date.UTC(2026, 11, 1, 10, head)).toISOString(),
      }),
    );
  }
  return { digests, publicKey: key.publicKey };
}

describe("offline verification of an audit export against signed digests", () => {
  it("accepts a complete export whose digests all verify", () => {
    const events = exportOf(6);
    const { digests, publicKey } = digestsOver(events, [2, 4, 6]);
    expect(verifyOffline({ events: jsonl(events), digests: [jsonl(digests)], publicKey })).toEqual({
      ok: true,
      events: 6,
      digests: 3,
      headSeq: "6",
      lastAnchoredSeq: "6",
    });
    // Digests from several files (replicas, earlier downloads), in any order and repeated, are one chain.
    expect(verifyOffline({ events: jsonl(events), digests: [jsonl([digests[2], digests[0]]), jsonl([digests[1], digests[0]])], publicKey }).ok).toBe(true);
  });

  it("detects the newest events removed: the shorter chain is intact, but a digest anchors a head it lacks", () => {
    const events = exportOf(6);
    const { digests, publicKey } = digestsOver(events, [2, 5]);
    const result = verifyOffline({ events: jsonl(events.slice(0, 3)), digests: [jsonl(digests)], publicKey });
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/anchors event seq 5, which is not in the export \(it ends at seq 3\): events were removed/),
    });
  });

  it("refuses a forged digest, a digest altered after signing, and one signed by another key", () => {
    const events = exportOf(6);
    const { digests, publicKey } = digestsOver(events, [2, 4]);
    // The tail was cut at 3 and the attacker rewrote the last digest to anchor seq 3 instead.
    const forged = { ...digests[1]!, seq: "3", hash: events[2]!.hash, occurredAt: events[2]!.occurredAt };
    const cut = verifyOffline({ events: jsonl(events.slice(0, 3)), digests: [jsonl([digests[0], forged])], publicKey });
    expect(cut).toEqual({ ok: false, reason: expect.stringMatching(/has no valid signature by the given public key: it was forged or altered/) });

    const other = digestsOver(events.slice(0, 3), [3]);
    const signedElsewhere = verifyOffline({ events: jsonl(events), digests: [jsonl(other.digests)], publicKey });
    expect(signedElsewhere.ok).toBe(false);
  });

  it("detects a removed digest and a rewritten chain under a valid digest", () => {
    const events = exportOf(6);
    const { digests, publicKey } = digestsOver(events, [2, 4, 6]);
    const gap = verifyOffline({ events: jsonl(events), digests: [jsonl([digests[0], digests[2]])], publicKey });
    expect(gap).toEqual({ ok: false, reason: expect.stringMatching(/do not form one chain/) });

    // Every event after seq 1 rewritten and re-hashed: the chain is intact but no longer the one that was signed.
    const rewritten = [events[0]!];
    for (const e of events.slice(1)) {
      const { seq, prevHash: _p, hash: _h, ...content } = { ...e, details: { after: { name: "rewritten" } } };
      const prevHash = rewritten.at(-1)!.hash;
      rewritten.push({ seq, ...content, prevHash, hash: eventHash(prevHash, { ...content, occurredAt: new Date(content.occurredAt) }) });
    }
    const again = verifyOffline({ events: jsonl(rewritten), digests: [jsonl(digests)], publicKey });
    expect(again).toEqual({
      ok: false,
      reason: expect.stringMatching(/anchors seq 2 with hash .* but the export's event there has .*: the chain was rewritten/),
    });
  });

  it("reports a gap in seq as removed events", () => {
    const events = exportOf(5);
    const { digests, publicKey } = digestsOver(events, [2]);
    const result = verifyOffline({ events: jsonl([...events.slice(0, 2), ...events.slice(3)]), digests: [jsonl(digests)], publicKey });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/broken at seq 4 .*seq jumps from 2 to 4: 1 event was removed/) });
  });
});
