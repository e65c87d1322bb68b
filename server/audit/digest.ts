import "server-only";
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import { canonicalJson } from "./chain";

/**
 * A signed anchor of the chain's head, like a CloudTrail digest file: kept outside Postgres (a JSON Lines file, the
 * log, the auditor's own copies), it proves which events existed when it was signed, so removing the newest
 * events (which leaves a valid shorter chain) is detected.
 */
export const auditDigestSchema = z.object({
  /** The head event's seq and hash when the digest was signed. */
  seq: z.string().regex(/^\d+$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  occurredAt: z.string(),
  /** The signature of the digest before this one: the digests form a chain of their own. */
  previousDigestSignature: z.string().nullable(),
  signedAt: z.string(),
  /** sha-256 (hex) of the signing public key in SPKI DER. */
  keyId: z.string(),
  /** base64 Ed25519 signature over `digestPayload`. */
  signature: z.string(),
});
export type AuditDigest = z.infer<typeof auditDigestSchema>;

/** Exactly the bytes that are signed. */
export function digestPayload(digest: Omit<AuditDigest, "keyId" | "signature">): Buffer {
  return Buffer.from(
    canonicalJson({
      seq: digest.seq,
      hash: digest.hash,
      occurredAt: digest.occurredAt,
      previousDigestSignature: digest.previousDigestSignature,
      signedAt: digest.signedAt,
    }),
  );
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

export function signDigest(privateKey: KeyObject, head: Omit<AuditDigest, "keyId" | "signature">): AuditDigest {
  return {
    ...head,
    keyId: publicKeyId(createPublicKey(privateKey)),
    signature: sign(null, digestPayload(head), privateKey).toString("base64"),
  };
}

export function digestSignatureValid(publicKey: KeyObject, digest: AuditDigest): boolean {
  try {
    return verify(null, digestPayload(digest), publicKey, Buffer.from(digest.signature, "base64"));
  } catch {
    return false;
  }
}
