import { beforeEach, describe, expect, it } from "vitest";
import * as auditExport from "../../../app/api/v1/audit/export/route";
import * as auditVerify from "../../../app/api/v1/audit/verify/route";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import * as tokenRoute from "../../../app/api/v1/tokens/[id]/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import { listAuditEvents, verifyAudit } from "../../../server/audit";
import { seedDemo } from "../../../server/demo/seed";
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
    const yaml = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: card-api, description: Changed }\nspec: { type: service, lifecycle: production, owner: cards }\n";
    const res = await call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller: amara, body: yaml, contentType: "application/yaml", headers: { "x-request-id": "req-test-0001" } });
    expect(res.status).toBe(200);
    const [event] = (await query({ action: "catalogue.import", actor: "amara.okafor" })).items;
    expect(event).toMatchObject({ actorType: "person", actorName: "amara.okafor", requestId: "req-test-0001", sourceIp: "10.0.0.7" });
    expect(event!.details).toMatchObject({ updated: 1 });

    // A refused import writes neither the change nor an audit event.
    const hannah = await sessionFor(db.current(), "hannah.kowalski");
    const before = (await query()).items.length;
    const denied = await call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller: hannah, body: yaml, contentType: "application/yaml" });
    expect(denied.status).toBe(403);
    expect((await query()).items.length).toBe(before);
  });

  it("issues a token once, records its use, and refuses it after revocation", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const created = await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: "deploy bot", scopes: ["catalogue:write"], expiresInDays: 30 }) });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^slw_/);
    const stored = await db.current().prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(stored)).not.toContain(token);

    const bot = { kind: "token" as const, token };
    const yaml = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: card-api, description: From CI }\nspec: { type: service, lifecycle: production, owner: cards }\n";
    const imported = await call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller: bot, body: yaml, contentType: "application/yaml" });
    expect(imported.status).toBe(200);
    const used = await db.current().prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(used.lastUsedAt).not.toBeNull();
    const [event] = (await query({ action: "catalogue.import" })).items;
    expect(event!.actorType).toBe("token");
    expect(event!.actorName).toBe("deploy bot (amara.okafor)");

    const listed = await call(tokensRoute.GET, { path: "/api/v1/tokens", caller: amara });
    expect(listed.body.items.map((t: { prefix: string }) => t.prefix)).toContain(token.slice(0, 10));

    const revoked = await call(tokenRoute.DELETE, { method: "DELETE", path: `/api/v1/tokens/${created.body.id}`, caller: amara, params: { id: created.body.id } });
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
    if (!removed.ok) expect(removed.reason).toMatch(/removed, added or altered/);
  });

  it("exports the trail as JSON Lines and as CSV that spreadsheets cannot execute", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: "=HYPERLINK(\"x\")", scopes: ["read"] }) });
    const jsonl = await call(auditExport.GET, { path: "/api/v1/audit/export?format=jsonl", caller: amara });
    const lines = String(jsonl.body).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual(["catalogue.import", "token.create"]);
    const csv = await call(auditExport.GET, { path: "/api/v1/audit/export?format=csv&action=token.create", caller: amara });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const rows = String(csv.body).trim().split("\r\n");
    expect(rows[0]).toMatch(/^seq,id,occurredAt,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).not.toMatch(/,=HYPERLINK/);
  });
});
