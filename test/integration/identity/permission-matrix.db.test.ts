import { beforeEach, describe, expect, it } from "vitest";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import * as tokenRoute from "../../../app/api/v1/tokens/[id]/route";
import * as signoutRoute from "../../../app/api/auth/signout/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import * as auditRoute from "../../../app/api/v1/audit/route";
import { seedDemo } from "../../../server/demo/seed";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

/**
 * Every endpoint, every kind of caller: who may, who may not. Demo people: amara.okafor is an engineer in cards,
 * hannah.kowalski an engineer in notifications, isabel.fernandes a viewer, tom.hughes an approver for cards,
 * aisha.bello an admin.
 */
const cardsService = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: card-api, title: Card API v2 }
spec: { type: service, lifecycle: production, owner: cards }
`;
const orgChange = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: new-squad }
spec: { type: team, children: [] }
`;

type Expect = "allow" | 401 | 403;

const callers = ["anonymous", "viewer", "engineer:cards", "engineer:notifications", "approver", "admin", "token:cards:catalogue", "token:amara:read"] as const;
type CallerName = (typeof callers)[number];

const matrix: Array<{ name: string; run: (c: Caller, ctx: Ctx) => Promise<{ status: number }>; expect: Record<CallerName, Expect> }> = [
  {
    name: "GET /api/v1/services",
    run: (caller) => call(servicesRoute.GET, { path: "/api/v1/services", caller }),
    expect: { anonymous: 401, viewer: "allow", "engineer:cards": "allow", "engineer:notifications": "allow", approver: "allow", admin: "allow", "token:cards:catalogue": "allow", "token:amara:read": "allow" },
  },
  {
    name: "GET /api/v1/audit",
    run: (caller) => call(auditRoute.GET, { path: "/api/v1/audit", caller }),
    expect: { anonymous: 401, viewer: "allow", "engineer:cards": "allow", "engineer:notifications": "allow", approver: "allow", admin: "allow", "token:cards:catalogue": "allow", "token:amara:read": "allow" },
  },
  {
    name: "POST /api/v1/catalogue/import (a cards service)",
    run: (caller) => call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: cardsService, contentType: "application/yaml" }),
    expect: { anonymous: 401, viewer: 403, "engineer:cards": "allow", "engineer:notifications": 403, approver: "allow", admin: "allow", "token:cards:catalogue": "allow", "token:amara:read": 403 },
  },
  {
    name: "POST /api/v1/catalogue/import (a new group)",
    run: (caller) => call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: orgChange, contentType: "application/yaml" }),
    expect: { anonymous: 401, viewer: 403, "engineer:cards": 403, "engineer:notifications": 403, approver: 403, admin: "allow", "token:cards:catalogue": 403, "token:amara:read": 403 },
  },
  {
    name: "POST /api/v1/tokens (for oneself)",
    run: (caller) => call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller, body: JSON.stringify({ name: "ci", scopes: ["read"] }) }),
    expect: { anonymous: 401, viewer: "allow", "engineer:cards": "allow", "engineer:notifications": "allow", approver: "allow", admin: "allow", "token:cards:catalogue": 403, "token:amara:read": 403 },
  },
  {
    name: "POST /api/v1/tokens (for a squad)",
    run: (caller) => call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller, body: JSON.stringify({ name: "cards ci", scopes: ["releases:write"], team: "cards" }) }),
    expect: { anonymous: 401, viewer: 403, "engineer:cards": 403, "engineer:notifications": 403, approver: 403, admin: "allow", "token:cards:catalogue": 403, "token:amara:read": 403 },
  },
  {
    name: "DELETE /api/v1/tokens/{id} (someone else's)",
    run: (caller, ctx) => call(tokenRoute.DELETE, { method: "DELETE", path: `/api/v1/tokens/${ctx.victimTokenId}`, caller, params: { id: ctx.victimTokenId } }),
    expect: { anonymous: 401, viewer: 403, "engineer:cards": 403, "engineer:notifications": 403, approver: 403, admin: "allow", "token:cards:catalogue": 403, "token:amara:read": 403 },
  },
  {
    name: "POST /api/auth/signout",
    run: (caller) => call(signoutRoute.POST, { method: "POST", path: "/api/auth/signout", caller }),
    expect: { anonymous: 401, viewer: "allow", "engineer:cards": "allow", "engineer:notifications": "allow", approver: "allow", admin: "allow", "token:cards:catalogue": "allow", "token:amara:read": "allow" },
  },
];

type Ctx = { victimTokenId: string };

describe("permission matrix", () => {
  const db = useTestDatabase();
  let ctx: Ctx;
  const make: Record<CallerName, () => Promise<Caller>> = {
    anonymous: async () => ({ kind: "anonymous" }),
    viewer: () => sessionFor(db.current(), "isabel.fernandes"),
    "engineer:cards": () => sessionFor(db.current(), "amara.okafor"),
    "engineer:notifications": () => sessionFor(db.current(), "hannah.kowalski"),
    approver: () => sessionFor(db.current(), "tom.hughes"),
    admin: () => sessionFor(db.current(), "aisha.bello"),
    "token:cards:catalogue": () => tokenFor(db.current(), { team: "cards" }, ["catalogue:write"]),
    "token:amara:read": () => tokenFor(db.current(), { person: "amara.okafor" }, ["read"]),
  };

  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    ctx = { victimTokenId: (await tokenFor(db.current(), { person: "ravi.patel" }, ["read"])).id };
  });

  for (const row of matrix) {
    it(row.name, async () => {
      const outcomes: Record<string, number> = {};
      for (const name of callers) {
        const { status } = await row.run(await make[name](), ctx);
        outcomes[name] = status;
      }
      const expected = Object.fromEntries(callers.map((n) => [n, row.expect[n]]));
      const actual = Object.fromEntries(
        callers.map((n) => [n, outcomes[n]! < 300 ? "allow" : outcomes[n]]),
      );
      expect(actual).toEqual(expected);
    });
  }

  it("refuses a cookie-authenticated mutation without the CSRF token or from another site", async () => {
    const admin = await make.admin();
    const body = JSON.stringify({ name: "x", scopes: ["read"] });
    const noToken = await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: admin, body, csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.detail).toMatch(/CSRF/);
    const crossSite = await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: admin, body, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
  });

  it("answers 401 problem+json for an unknown, expired or revoked token, and 429 with Retry-After when hammered", async () => {
    const expired = await tokenFor(db.current(), { person: "amara.okafor" }, ["read"], new Date(Date.now() - 1000));
    const res = await call(servicesRoute.GET, { path: "/api/v1/services", caller: expired });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toMatch(/unknown, expired or revoked/);
    let last = res;
    for (let i = 0; i < 35 && last.status !== 429; i++) {
      last = await call(servicesRoute.GET, { path: "/api/v1/services", caller: { kind: "token", token: `slw_nope${i}` } });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
