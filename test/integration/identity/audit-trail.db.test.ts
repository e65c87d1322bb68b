import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as auditDigests from "../../../app/api/v1/audit/digests/route";
import * as auditPublicKey from "../../../app/api/v1/audit/public-key/route";
import * as auditList from "../../../app/api/v1/audit/route";
import * as auditExport from "../../../app/api/v1/audit/export/route";
import * as auditVerify from "../../../app/api/v1/audit/verify/route";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import * as tokenRoute from "../../../app/api/v1/tokens/[id]/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import {
  digestFileName,
  listAuditEvents,
  loadAuditSigningKey,
  signAuditHead,
  startAuditDigestJob,
  verifyAudit,
  verifyOffline,
  withAudit,
} from "../../../server/audit";
import { systemContext } from "../../../server/identity/system-context";
import { config, setConfig } from "../../../server/shared/config";
import { seedDemo } from "../../../server/demo/seed";
import { seedDeployHistory } from "../../../server/demo/seed/deploy-history";
import { call, sessionFor } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

describe("audit trail", () => {
  const db = useTestDatabase();
  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
  });
  const query = (q: Record<string, unknown> = {}) => listAuditEvents({ limit: 100, ...q }, db.current().prisma);

  it("records who did what, to what, from where, in the same transaction as the change", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const yaml =
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: card-api, description: Changed, annotations: { backstage.io/kubernetes-id: card-api, backstage.io/kubernetes-namespace: cards, slipway.io/tier: '2' } }\nspec: { type: service, lifecycle: production, owner: cards }\n";
    const res = await call(importRoute.POST, {
      method: "POST",
      path: "/api/v1/catalogue/import",
      caller: amara,
      body: yaml,
      contentType: "application/yaml",
      headers: { "x-request-id": "req-test-0001" },
    });
    expect(res.status).toBe(200);
    const [event] = (await query({ action: "catalogue.import", actor: "amara.okafor" })).items;
    expect(event).toMatchObject({ actorType: "person", actorName: "amara.okafor", requestId: "req-test-0001", sourceIp: "10.0.0.7" });
    expect(event!.details).toMatchObject({ updated: 1 });

    // A refused import writes no change: only the refusal itself is recorded.
    const hannah = await sessionFor(db.current(), "hannah.kowalski");
    const before = (await query()).items.length;
    const denied = await call(importRoute.POST, {
      method: "POST",
      path: "/api/v1/catalogue/import",
      caller: hannah,
      body: yaml,
      contentType: "application/yaml",
    });
    expect(denied.status).toBe(403);
    const after = (await query()).items;
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ action: "access.refused", actorName: "hannah.kowalski" });
  });

  it("issues a token once, records its use, and refuses it after revocation", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const created = await call(tokensRoute.POST, {
      method: "POST",
      path: "/api/v1/tokens",
      caller: amara,
      body: JSON.stringify({ name: "deploy bot", scopes: ["catalogue:write"], expiresInDays: 30 }),
    });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^slw_/);
    const stored = await db.current().prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(stored)).not.toContain(token);

    const bot = { kind: "token" as const, token };
    const yaml =
      "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: card-api, description: From CI, annotations: { backstage.io/kubernetes-id: card-api, backstage.io/kubernetes-namespace: cards, slipway.io/tier: '2' } }\nspec: { type: service, lifecycle: production, owner: cards }\n";
    const imported = await call(importRoute.POST, {
      method: "POST",
      path: "/api/v1/catalogue/import",
      caller: bot,
      body: yaml,
      contentType: "application/yaml",
    });
    expect(imported.status).toBe(200);
    const used = await db.current().prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(used.lastUsedAt).not.toBeNull();
    const [event] = (await query({ action: "catalogue.import" })).items;
    expect(event!.actorType).toBe("token");
    expect(event!.actorName).toBe("deploy bot (amara.okafor)");

    const listed = await call(tokensRoute.GET, { path: "/api/v1/tokens", caller: amara });
    expect(listed.body.items.map((t: { prefix: string }) => t.prefix)).toContain(token.slice(0, 10));

    const revoked = await call(tokenRoute.DELETE, {
      method: "DELETE",
      path: `/api/v1/tokens/${created.body.id}`,
      caller: amara,
      params: { id: created.body.id },
    });
    expect(revoked.body).toEqual({ revoked: true });
    expect((await call(servicesRoute.GET, { path: "/api/v1/services", caller: bot })).status).toBe(401);
    expect((await query({ action: "token.revoke" })).items).toHaveLength(1);
  });

  it("refuses UPDATE and DELETE on audit rows at the database", async () => {
    const prisma = db.current().prisma;
    expect((await verifyAudit(prisma)).ok).toBe(true);
    await expect(prisma.$executeRawUnsafe(`UPDATE audit_event SET actor_name = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it("detects an event altered or removed behind the trigger's back", async () => {
    const prisma = db.current().prisma;
    const amara = await sessionFor(db.current(), "amara.okafor");
    for (let i = 0; i < 3; i++) {
      await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: `t${i}`, scopes: ["read"] }) });
    }
    const good = await verifyAudit(prisma);
    expect(good).toMatchObject({ ok: true, events: 4 });

    const victim = (await query({ action: "token.create" })).items[1]!;
    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event DISABLE TRIGGER manual_audit_event_append_only`);
    await prisma.$executeRawUnsafe(`UPDATE audit_event SET details = jsonb_set(details, '{after,scopes}', '["catalogue:write"]') WHERE id = '${victim.id}'`);
    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event ENABLE TRIGGER manual_audit_event_append_only`);
    const altered = await call(auditVerify.GET, { path: "/api/v1/audit/verify", caller: amara });
    expect(altered.body).toMatchObject({ ok: false, brokenAt: { id: victim.id } });
    expect(altered.body.reason).toMatch(/altered/);

    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event DISABLE TRIGGER manual_audit_event_append_only`);
    await prisma.$executeRawUnsafe(`DELETE FROM audit_event WHERE id = '${victim.id}'`);
    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event ENABLE TRIGGER manual_audit_event_append_only`);
    const removed = await verifyAudit(prisma);
    expect(removed.ok).toBe(false);
    if (!removed.ok) expect(removed.reason).toMatch(/removed/);
  });

  it("refuses TRUNCATE of the audit tables at the database", async () => {
    const prisma = db.current().prisma;
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_event`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_event CASCADE`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_digest`)).rejects.toThrow(/append-only/);
    expect(await prisma.auditEvent.count()).toBe(1);
  });

  it("numbers events without gaps, so a gap in seq is reported as removed events", async () => {
    const prisma = db.current().prisma;
    // A mutation that rolls back after writing its audit event consumes no number.
    await expect(
      withAudit(prisma, systemContext("test"), async (_tx, audit) => {
        await audit({ action: "test.abandoned", targetType: "test" });
        throw new Error("changed its mind");
      }),
    ).rejects.toThrow(/changed its mind/);
    const amara = await sessionFor(db.current(), "amara.okafor");
    for (let i = 0; i < 3; i++) {
      await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: `t${i}`, scopes: ["read"] }) });
    }
    expect((await query()).items.map((e) => e.seq)).toEqual(["4", "3", "2", "1"]);
    expect(await verifyAudit(prisma)).toMatchObject({ ok: true, events: 4 });

    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event DISABLE TRIGGER manual_audit_event_append_only`);
    await prisma.$executeRawUnsafe(`DELETE FROM audit_event WHERE seq = 3`);
    await prisma.$executeRawUnsafe(`ALTER TABLE audit_event ENABLE TRIGGER manual_audit_event_append_only`);
    expect(await verifyAudit(prisma)).toMatchObject({ ok: false, events: 2, brokenAt: { seq: "4" }, reason: "seq jumps from 2 to 4: 1 event was removed" });
  });

  it("anchors the chain's head in signed digests, so deleting the newest events is detected offline", async () => {
    const prisma = db.current().prisma;
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-digests-"));
    const original = config();
    setConfig({ ...original, audit: { ...original.audit, signingKeyPem: pem, digestDir: dir } });
    try {
      const key = loadAuditSigningKey(config())!;
      const amara = await sessionFor(db.current(), "amara.okafor");
      const createToken = (name: string) =>
        call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name, scopes: ["read"] }) });
      await createToken("a");
      await createToken("b");
      expect(await signAuditHead(prisma, key, { digestDir: dir })).toMatchObject({ seq: "3", previousDigestSignature: null });
      // The head did not move: nothing to sign.
      expect(await signAuditHead(prisma, key, { digestDir: dir })).toBeNull();
      await createToken("c");
      await createToken("d");
      // Two replicas at the same moment: one signs, under the advisory lock.
      const both = await Promise.all([signAuditHead(prisma, key, { digestDir: dir }), signAuditHead(prisma, key, { digestDir: dir })]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(both.find(Boolean)).toMatchObject({ seq: "5" });
      // Within the period another replica already covered, a replica's tick signs nothing.
      await createToken("e");
      expect(await signAuditHead(prisma, key, { digestDir: dir, minIntervalMs: 60_000 })).toBeNull();

      const served = await call(auditDigests.GET, { path: "/api/v1/audit/digests?format=jsonl", caller: amara });
      const digestsJsonl = String(served.body);
      expect(digestsJsonl.trim().split("\n")).toHaveLength(2);
      expect(fs.readFileSync(path.join(dir, digestFileName), "utf8")).toBe(digestsJsonl);
      const page = await call(auditDigests.GET, { path: "/api/v1/audit/digests", caller: amara });
      expect(page.body.items.map((d: { seq: string }) => d.seq)).toEqual(["3", "5"]);
      const publicKey = await call(auditPublicKey.GET, { path: "/api/v1/audit/public-key", caller: amara });
      expect(publicKey.status).toBe(200);
      expect(String(publicKey.body)).toBe(key.publicKeyPem);
      expect(String(publicKey.body)).not.toMatch(/PRIVATE/);

      const exportNow = async () => String((await call(auditExport.GET, { path: "/api/v1/audit/export?format=jsonl", caller: amara })).body);
      expect(verifyOffline({ events: await exportNow(), digests: [digestsJsonl], publicKey: key.publicKey })).toMatchObject({
        ok: true,
        events: 6,
        digests: 2,
      });

      // Someone with database access removes the newest events behind the trigger's back.
      await prisma.$executeRawUnsafe(`ALTER TABLE audit_event DISABLE TRIGGER manual_audit_event_append_only`);
      await prisma.$executeRawUnsafe(`DELETE FROM audit_event WHERE seq >= 4`);
      await prisma.$executeRawUnsafe(`ALTER TABLE audit_event ENABLE TRIGGER manual_audit_event_append_only`);
      // The shorter chain is intact, but the newest digest in the database names a head that is gone...
      expect(await verifyAudit(prisma)).toMatchObject({
        ok: false,
        events: 3,
        brokenAt: { seq: "4" },
        reason: expect.stringMatching(/anchors event seq 5, but the chain ends at seq 3: the newest events were removed/),
      });
      // ...and when the digests are deleted too, the database alone cannot tell...
      await prisma.$executeRawUnsafe(`ALTER TABLE audit_digest DISABLE TRIGGER manual_audit_digest_append_only`);
      await prisma.$executeRawUnsafe(`DELETE FROM audit_digest`);
      await prisma.$executeRawUnsafe(`ALTER TABLE audit_digest ENABLE TRIGGER manual_audit_digest_append_only`);
      expect(await verifyAudit(prisma)).toMatchObject({ ok: true, events: 3 });
      // ...but the auditor's verifier, given the digests they downloaded earlier (or the digest file), can.
      fs.writeFileSync(path.join(dir, "export.jsonl"), await exportNow());
      fs.writeFileSync(path.join(dir, "key.pub.pem"), key.publicKeyPem);
      const cli = await promisify(execFile)(
        path.resolve("node_modules/.bin/tsx"),
        [
          "--import",
          "./server/cli/server-only-loader.mjs",
          "server/cli/audit-verify.ts",
          "--events",
          path.join(dir, "export.jsonl"),
          "--digests",
          path.join(dir, digestFileName),
          "--public-key",
          path.join(dir, "key.pub.pem"),
        ],
        { env: { ...process.env, LOG_LEVEL: "silent" } },
      ).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(
        /FAILED: the digest signed at .* \(head seq 5\) anchors event seq 5, which is not in the export \(it ends at seq 3\): events were removed/,
      );
    } finally {
      setConfig(original);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("signs the head every period when it moved, and once more at shutdown", async () => {
    const prisma = db.current().prisma;
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const key = loadAuditSigningKey({ ...config(), audit: { ...config().audit, signingKeyPem: pem } })!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-digests-"));
    const job = startAuditDigestJob(prisma, key, { intervalMs: 200, digestDir: dir });
    try {
      await vi.waitFor(async () => expect(await prisma.auditDigest.count()).toBe(1), { timeout: 5_000, interval: 50 });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await prisma.auditDigest.count()).toBe(1);
      const amara = await sessionFor(db.current(), "amara.okafor");
      await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: "a", scopes: ["read"] }) });
      await vi.waitFor(async () => expect(await prisma.auditDigest.count()).toBe(2), { timeout: 5_000, interval: 50 });
      await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: "b", scopes: ["read"] }) });
    } finally {
      await job.stop();
    }
    const head = await prisma.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const digests = await prisma.auditDigest.findMany({ orderBy: { id: "asc" } });
    expect(digests.map((d) => d.headSeq)).toEqual([1n, 2n, head.seq]);
    expect(fs.readFileSync(path.join(dir, digestFileName), "utf8").trim().split("\n")).toHaveLength(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers who deployed to production and when, from the seeded history's own audit events", async () => {
    const prisma = db.current().prisma;
    await seedDeployHistory(prisma);
    // The history is part of the chain, appended in the order it happened, at its historical times.
    expect((await verifyAudit(prisma)).ok).toBe(true);
    const chain = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" }, where: { seq: { gt: 1n } } });
    const times = chain.map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeLessThan(Date.now() - 48 * 3_600_000);

    // What reached production well (deploys and rollbacks); the history's failures end otherwise.
    const production = await prisma.rollout.findMany({ where: { environment: "production", state: "succeeded" }, include: { service: true } });
    expect(production.length).toBeGreaterThan(3);
    const amara = await sessionFor(db.current(), "amara.okafor");
    const deployed = await call(auditList.GET, { path: "/api/v1/audit?environment=production&outcome=succeeded&limit=500", caller: amara });
    expect(deployed.status).toBe(200);
    expect(deployed.body.items).toHaveLength(production.length);
    expect(new Set(deployed.body.items.map((e: { action: string }) => e.action))).toEqual(new Set(["rollout.succeeded"]));

    // "Yesterday" is a time window on the same filters; pages keep the filters.
    const newest = production.reduce((a, b) => (a.finishedAt! > b.finishedAt! ? a : b));
    const since = new Date(newest.finishedAt!.getTime() - 3_600_000).toISOString();
    const until = new Date(newest.finishedAt!.getTime() + 3_600_000).toISOString();
    const windowed = await query({ environment: "production", outcome: "succeeded", since, until });
    expect(windowed.items.map((e) => e.targetId)).toContain(newest.id);
    const first = await query({ environment: "production", limit: 3 });
    const second = await query({ environment: "production", limit: 3, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].every((e) => e.details.environment === "production")).toBe(true);
    expect(Number(second.items[0]!.seq)).toBeLessThan(Number(first.items.at(-1)!.seq));

    // One rollout's events together: who requested it, who approved it (never the requester), applied, outcome.
    for (const rollout of production.filter((r) => r.kind === "deploy")) {
      const trail = (await query({ targetType: "rollout", target: rollout.id })).items.reverse();
      const approvals = await prisma.approval.count({ where: { checkpoint: { rolloutId: rollout.id } } });
      expect(approvals).toBeGreaterThan(0);
      expect(trail.map((e) => e.action)).toEqual([
        "rollout.request",
        ...Array(approvals).fill("checkpoint.approve"),
        "rollout.apply_started",
        "rollout.applied",
        "rollout.succeeded",
      ]);
      expect(trail[0]).toMatchObject({ actorType: "person", actorName: rollout.requestedByName, occurredAt: rollout.createdAt.toISOString() });
      const approvers = trail.filter((e) => e.action === "checkpoint.approve").map((e) => e.actorName);
      expect(new Set(approvers).size).toBe(approvals);
      expect(approvers).not.toContain(rollout.requestedByName);
      expect(trail.at(-1)!.occurredAt).toBe(rollout.finishedAt!.toISOString());
    }
    // Staging's automatic deliveries are there too, each replaced by the next.
    expect((await query({ environment: "staging", outcome: "superseded", limit: 500 })).items.length).toBe(
      await prisma.rollout.count({ where: { environment: "staging", state: "superseded" } }),
    );
  });

  it("exports the trail as JSON Lines and as CSV that spreadsheets cannot execute", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    await call(tokensRoute.POST, {
      method: "POST",
      path: "/api/v1/tokens",
      caller: amara,
      body: JSON.stringify({ name: '=HYPERLINK("x")', scopes: ["read"] }),
    });
    const jsonl = await call(auditExport.GET, { path: "/api/v1/audit/export?format=jsonl", caller: amara });
    const lines = String(jsonl.body)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(["catalogue.import", "token.create"]);
    const csv = await call(auditExport.GET, { path: "/api/v1/audit/export?format=csv&action=token.create", caller: amara });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const rows = String(csv.body).trim().split("\r\n");
    expect(rows[0]).toMatch(/^seq,id,occurredAt,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).not.toMatch(/,=HYPERLINK/);
  });
});
