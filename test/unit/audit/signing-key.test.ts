import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedKeyFileName, loadAuditSigningKey } from "@/server/audit/signing-key";
import { parseConfig } from "@/server/shared/config";

const pem = (type: "ed25519" | "rsa") =>
  (type === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 1024 }) : generateKeyPairSync("ed25519")).privateKey
    .export({ type: "pkcs8", format: "pem" })
    .toString();

describe("the audit digest signing key", () => {
  it("is validated with the rest of the environment", () => {
    expect(() => parseConfig({ SLIPWAY_AUDIT_SIGNING_KEY: "not a key" })).toThrow(/SLIPWAY_AUDIT_SIGNING_KEY: expected an Ed25519 private key/);
    expect(() => parseConfig({ SLIPWAY_AUDIT_SIGNING_KEY: pem("rsa") })).toThrow(/SLIPWAY_AUDIT_SIGNING_KEY: expected an Ed25519/);
    expect(() => parseConfig({ SLIPWAY_AUDIT_SIGNING_KEY: pem("ed25519"), SLIPWAY_AUDIT_SIGNING_KEY_FILE: "/k.pem" })).toThrow(/not both/);
    // A one-line env file writes the PEM's newlines as \n.
    const oneLine = pem("ed25519").replace(/\n/g, "\\n");
    const c = parseConfig({ SLIPWAY_AUDIT_SIGNING_KEY: oneLine, SLIPWAY_DATA_DIR: "/srv/slipway" });
    expect(loadAuditSigningKey(c)?.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(c.audit).toMatchObject({ digestDir: "/srv/slipway/audit-digests", digestIntervalMs: 60_000 });
  });

  it("is generated once into the data directory on the embedded database, and is off on Postgres unless configured", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-key-"));
    try {
      const embedded = parseConfig({ SLIPWAY_DATA_DIR: dataDir });
      const first = loadAuditSigningKey(embedded)!;
      expect(fs.statSync(path.join(dataDir, generatedKeyFileName)).mode & 0o077).toBe(0);
      expect(loadAuditSigningKey(embedded)!.keyId).toBe(first.keyId);
      expect(loadAuditSigningKey(parseConfig({ DATABASE_URL: "postgres://db/slipway", SLIPWAY_DATA_DIR: dataDir }))).toBeNull();
      const file = path.join(dataDir, "configured.pem");
      fs.writeFileSync(file, pem("ed25519"));
      expect(loadAuditSigningKey(parseConfig({ DATABASE_URL: "postgres://db/slipway", SLIPWAY_AUDIT_SIGNING_KEY_FILE: file }))).not.toBeNull();
      expect(() => loadAuditSigningKey(parseConfig({ SLIPWAY_AUDIT_SIGNING_KEY_FILE: path.join(dataDir, "missing.pem") }))).toThrow(/cannot read/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
