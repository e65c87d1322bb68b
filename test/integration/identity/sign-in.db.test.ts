import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as callbackRoute from "../../../app/api/auth/callback/route";
import * as demoRoute from "../../../app/api/auth/demo/route";
import * as meRoute from "../../../app/api/v1/me/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import { seedDemo } from "../../../server/demo/seed";
import { signInErrorMessage } from "../../../server/identity/sign-in-errors";
import { config, parseConfig, setConfig } from "../../../server/shared/config";
import { call, sessionFor, tokenFor } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

/** Slipway as an operator runs it once single sign-on is configured (the demo data is still in the database). */
const withSingleSignOn = () =>
  setConfig({ ...config(), oidc: { issuer: "https://idp.example", clientId: "slipway", clientSecret: undefined, groupsClaim: "groups", scopes: "openid" } });

describe("sign-in", () => {
  const db = useTestDatabase();
  beforeEach(async () => {
    setConfig(parseConfig({ SLIPWAY_DEMO: "on" }));
    await seedDemo(db.current().prisma, { history: false });
  });
  afterEach(() => setConfig(undefined));

  describe("refusals shown on the sign-in page", () => {
    const errorParam = (location: string | null) => new URL(location ?? "", "http://slipway.test").searchParams.get("error");

    it("carry a code for Slipway's own message, never text someone else chose", async () => {
      // A crafted callback link: the provider's "error_description" must not reach the page.
      const crafted = "/api/auth/callback?error=access_denied&error_description=Your+account+is+locked.+Call+0800+EVIL";
      withSingleSignOn();
      const refused = await call(callbackRoute.GET, { path: crafted, headers: { cookie: "slipway_oidc_state=x" } });
      expect(refused.status).toBe(303);
      expect(refused.headers.get("location")).toBe("http://slipway.test/signin?error=provider_refused");
      expect(signInErrorMessage(errorParam(refused.headers.get("location")) ?? undefined)).toMatch(/identity provider refused/);
      setConfig(parseConfig({ SLIPWAY_DEMO: "on" }));

      const form = (person: string) =>
        call(demoRoute.POST, { method: "POST", path: "/api/auth/demo", body: `person=${person}`, contentType: "application/x-www-form-urlencoded" });
      expect(errorParam((await form("no.such.person")).headers.get("location"))).toBe("unknown_person");
      expect(errorParam((await form("%3Cscript%3E")).headers.get("location"))).toBe("choose_person");
    });

    it("show a known message for a known code and a generic one for anything else", () => {
      expect(signInErrorMessage("expired")).toBe("This sign-in has expired. Start again.");
      expect(signInErrorMessage("Your account is locked. Call 0800 EVIL")).toBe("Sign-in failed. Try again.");
      expect(signInErrorMessage("toString")).toBe("Sign-in failed. Try again.");
      expect(signInErrorMessage(undefined)).toBeUndefined();
    });
  });

  describe("demo sessions after single sign-on is switched on", () => {
    it("are refused for reads and writes, while tokens that person made keep working", async () => {
      const admin = await sessionFor(db.current(), "aisha.bello");
      const token = await tokenFor(db.current(), { person: "aisha.bello" }, ["read"]);
      const read = () => call(servicesRoute.GET, { path: "/api/v1/services?limit=1", caller: admin });
      const write = () =>
        call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: admin, body: JSON.stringify({ name: "ci", scopes: ["read"] }) });
      expect((await read()).status).toBe(200);

      withSingleSignOn();
      // The read just before is in the session cache: that must not keep the demo session alive either.
      expect((await read()).status).toBe(401);
      expect((await call(meRoute.GET, { path: "/api/v1/me", caller: admin })).status).toBe(401);
      expect((await write()).status).toBe(401);
      expect(await db.current().prisma.apiToken.count()).toBe(1);
      expect((await call(servicesRoute.GET, { path: "/api/v1/services?limit=1", caller: token })).status).toBe(200);
    });

    it("still work on the embedded default, where demo sign-in is how people sign in", async () => {
      const amara = await sessionFor(db.current(), "amara.okafor");
      expect((await call(servicesRoute.GET, { path: "/api/v1/services?limit=1", caller: amara })).status).toBe(200);
    });
  });
});
