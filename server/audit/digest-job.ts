import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "../shared/db";
import { logger } from "../shared/logger";
import { signDigest, type AuditDigest } from "./digest";
import type { AuditSigningKey } from "./signing-key";

/** One signer at a time across replicas: a transaction-scoped advisory lock, tried, never waited for. */
const digestLockKey = 0x5a1d_d16e;

export const digestFileName = "audit-digests.jsonl";

type DigestRow = Awaited<ReturnType<Db["auditDigest"]["findFirstOrThrow"]>>;

export function toAuditDigest(row: DigestRow): AuditDigest {
  return {
    seq: row.headSeq.toString(),
    hash: row.headHash,
    occurredAt: row.headOccurredAt.toISOString(),
    previousDigestSignature: row.previousSignature,
    signedAt: row.signedAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  };
}

export type SignOptions = {
  /** Skip when the newest digest is younger than this: another replica signed in this period. */
  minIntervalMs?: number;
  /** Where the JSON Lines copy goes (a directory); none: the database and the log only. */
  digestDir?: string;
  now?: () => Date;
};

/**
 * Signs the chain's head if it moved since the last digest, and records the digest in the append-only table, a JSON
 * Lines file and the log. Returns the new digest, or null when there was nothing to sign or another replica holds
 * the lock.
 */
export async function signAuditHead(db: Db, key: AuditSigningKey, options: SignOptions = {}): Promise<AuditDigest | null> {
  const now = options.now ?? (() => new Date());
  const digest = await db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${digestLockKey}::bigint) AS locked`;
    if (!lock?.locked) return null;
    const head = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true, occurredAt: true } });
    if (!head) return null;
    const last = await tx.auditDigest.findFirst({ orderBy: { id: "desc" } });
    if (last && last.headSeq === head.seq && last.headHash === head.hash) return null;
    const signedAt = now();
    if (last && options.minIntervalMs && signedAt.getTime() - last.signedAt.getTime() < options.minIntervalMs) return null;
    const signed = signDigest(key.privateKey, {
      seq: head.seq.toString(),
      hash: head.hash,
      occurredAt: head.occurredAt.toISOString(),
      previousDigestSignature: last?.signature ?? null,
      signedAt: new Date(signedAt.getTime()).toISOString(),
    });
    await tx.auditDigest.create({
      data: {
        id: (last?.id ?? 0n) + 1n,
        headSeq: head.seq,
        headHash: head.hash,
        headOccurredAt: head.occurredAt,
        previousSignature: signed.previousDigestSignature,
        signedAt,
        keyId: signed.keyId,
        signature: signed.signature,
      },
    });
    return signed;
  });
  if (!digest) return null;
  logger().info({ auditDigest: digest }, "signed the audit chain's head");
  if (options.digestDir) {
    try {
      await fs.mkdir(options.digestDir, { recursive: true });
      await fs.appendFile(path.join(options.digestDir, digestFileName), `${JSON.stringify(digest)}\n`);
    } catch (error) {
      logger().error({ err: error, dir: options.digestDir }, "could not write the audit digest file (the digest is in the database and the log)");
    }
  }
  return digest;
}

export type AuditDigestJob = { tick(): Promise<AuditDigest | null>; stop(): Promise<void> };

/** Every `intervalMs`, a digest when the head moved; one more at stop (shutdown), whatever the period. */
export function startAuditDigestJob(db: Db, key: AuditSigningKey, options: { intervalMs: number; digestDir?: string }): AuditDigestJob {
  let queue: Promise<unknown> = Promise.resolve();
  const run = (minIntervalMs: number) => {
    const next = queue.then(() => signAuditHead(db, key, { minIntervalMs, digestDir: options.digestDir }));
    queue = next.catch((error: unknown) => logger().error({ err: error }, "signing the audit chain's head failed"));
    return next;
  };
  // 90% of the period: replicas tick at different instants; the one that signed first covers the period.
  const timer = setInterval(() => void run(options.intervalMs * 0.9).catch(() => undefined), options.intervalMs);
  timer.unref();
  return {
    tick: () => run(0),
    async stop() {
      clearInterval(timer);
      await run(0).catch(() => undefined);
    },
  };
}

export async function findAuditDigests(db: Db, options: { after?: bigint; limit: number }): Promise<{ items: AuditDigest[]; nextCursor: string | null }> {
  const rows = await db.auditDigest.findMany({
    where: options.after !== undefined ? { id: { gt: options.after } } : {},
    orderBy: { id: "asc" },
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  return { items: page.map(toAuditDigest), nextCursor: rows.length > options.limit && page.length ? page.at(-1)!.id.toString() : null };
}
