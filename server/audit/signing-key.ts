import "server-only";
import fs from "node:fs";
import path from "node:path";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { ConfigError, type AppConfig } from "../shared/config";
import { publicKeyId } from "./digest";

export type AuditSigningKey = { privateKey: KeyObject; publicKey: KeyObject; publicKeyPem: string; keyId: string };

export const generatedKeyFileName = "audit-signing-key.pem";

function fromPem(pem: string, where: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`Invalid environment:\n  ${where}: not a private key in PEM`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new ConfigError(`Invalid environment:\n  ${where}: expected an Ed25519 key, got ${privateKey.asymmetricKeyType}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), keyId: publicKeyId(publicKey) };
}

/**
 * The key that signs audit digests: SLIPWAY_AUDIT_SIGNING_KEY, or the file SLIPWAY_AUDIT_SIGNING_KEY_FILE, or, on
 * the embedded database (one process), a key generated once into the data directory. Never stored in Postgres: a
 * person who can rewrite the database must not be able to re-sign a shortened chain. Null: digests are off.
 */
export function loadAuditSigningKey(c: Pick<AppConfig, "audit" | "databaseUrl" | "dataDir">): AuditSigningKey | null {
  if (c.audit.signingKeyPem) return fromPem(c.audit.signingKeyPem, "SLIPWAY_AUDIT_SIGNING_KEY");
  if (c.audit.signingKeyFile) {
    let pem: string;
    try {
      pem = fs.readFileSync(c.audit.signingKeyFile, "utf8");
    } catch (error) {
      throw new ConfigError(`Invalid environment:\n  SLIPWAY_AUDIT_SIGNING_KEY_FILE: cannot read ${c.audit.signingKeyFile} (${(error as Error).message})`);
    }
    return fromPem(pem, "SLIPWAY_AUDIT_SIGNING_KEY_FILE");
  }
  if (c.databaseUrl) return null;
  const file = path.join(c.dataDir, generatedKeyFileName);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(c.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync("ed25519");
    fs.writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  }
  return fromPem(fs.readFileSync(file, "utf8"), file);
}
