import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as signoutRoute from "../../../app/api/auth/signout/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import { seedDemo } from "../../../server/demo/seed";
import { revokeSession, sessionReadCacheMs } from "../../../server/identity/sessions";
import { call, sessionFor } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

/**
 * Reads may reuse a session check for a few seconds (every page and API read asks for it); writes never do. These
 * tests pin down what that means for someone whose session is revoked.
 */
describe("session checks", () => {
  const db = useTestDatabase();
  let amara: Awaited<ReturnType<typeof sessionFor>>;

  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    amara = await sessionFor(db.current(), "amara.okafor");
  });
  afterEach(() => vi.restoreAllMocks());

  const read = () => call(servicesRoute.GET, { path: "/api/v1/services?limit=1", caller: amara });
  const write = () => call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: amara, body: JSON.stringify({ name: "ci", scopes: ["read"] }) });
  // Straight in the table, as another replica's sign-out would (revokeSession would also mark this process's cache).
  const revokeInDatabase = () => db.current().prisma.session.update({ where: { id: amara.id }, data: { revokedAt: new Date() } });

  it("signing out ends the session at once, for reads too", async () => {
    expect((await read()).status).toBe(200);
    const out = await call(signoutRoute.POST, { method: "POST", path: "/api/auth/signout", caller: amara });
    expect(out.status).toBeLessThan(400);
    expect((await read()).status).toBe(401);
  });

  it("a session revoked elsewhere can change nothing at once, and reads nothing after the cache window", async () => {
    expect((await read()).status).toBe(200);
    await revokeInDatabase();
    const refused = await write();
    expect(refused.status).toBe(401);
    expect(await db.current().prisma.apiToken.count()).toBe(0);

    // Reads checked the session less than the window ago may still answer; past it they are refused.
    const later = Date.now() + sessionReadCacheMs + 1;
    vi.spyOn(Date, "now").mockReturnValue(later);
    expect((await read()).status).toBe(401);
  });

  // PGlite has one connection: a read cannot run beside an open transaction there.
  it.skipIf(process.env.SLIPWAY_TEST_DB === "pglite")("a read racing a sign-out does not keep the session alive in the cache", async () => {
    const prisma = db.current().prisma;
    await prisma.$transaction(async (tx) => {
      await revokeSession(tx, amara.id);
      // Not committed yet: the session is still live for a read that runs now, which must not cache it.
      expect((await read()).status).toBe(200);
    });
    expect((await read()).status).toBe(401);
  });

  it("a write checks the session itself, not a cached check", async () => {
    expect((await read()).status).toBe(200);
    expect((await write()).status).toBe(201);
    await revokeInDatabase();
    expect((await write()).status).toBe(401);
  });
});
