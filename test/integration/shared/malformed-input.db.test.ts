import fs from "node:fs";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import * as auditRoute from "../../../app/api/v1/audit/route";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as rolloutRoute from "../../../app/api/v1/rollouts/[id]/route";
import * as evidenceRoute from "../../../app/api/v1/rollouts/[id]/evidence/route";
import * as rolloutsRoute from "../../../app/api/v1/rollouts/route";
import * as searchRoute from "../../../app/api/v1/search/route";
import * as deploysRoute from "../../../app/api/v1/services/[name]/deploys/route";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import * as serviceRoute from "../../../app/api/v1/services/[name]/route";
import * as facetsRoute from "../../../app/api/v1/services/facets/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import * as teamRoute from "../../../app/api/v1/teams/[name]/route";
import * as teamsRoute from "../../../app/api/v1/teams/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import { importCatalogue } from "../../../server/catalogue";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { asSystem, useTestDatabase } from "../../fixtures/database";

const demo = fs.readFileSync("server/demo/seed/catalog.yaml", "utf8");
const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString("base64url");

/** Malformed input is the caller's mistake: a 4xx problem, never a 500 from a query Postgres refused. */
describe("malformed input to the API", () => {
  const db = useTestDatabase();
  let reader: Caller;
  let person: Caller;

  beforeEach(async () => {
    await importCatalogue(demo, asSystem, db.current().prisma);
    reader = await tokenFor(db.current(), { person: "amara.okafor" }, ["read"]);
    person = await sessionFor(db.current(), "amara.okafor");
  });

  const get = (handler: Parameters<typeof call>[0], path: string, params?: Record<string, string>) => call(handler, { path, caller: reader, params });

  it("answers the reported inputs with 400 or 404 problem+json", async () => {
    const cases: Array<[Promise<{ status: number; headers: Headers }>, number]> = [
      [get(servicesRoute.GET, "/api/v1/services?q=card%00"), 400],
      [get(servicesRoute.GET, "/api/v1/services?lifecycle=production%00"), 400],
      [get(facetsRoute.GET, "/api/v1/services/facets?tag=a%00b"), 400],
      [get(teamsRoute.GET, "/api/v1/teams?q=%00"), 400],
      [get(searchRoute.GET, "/api/v1/search?q=%00"), 400],
      [get(servicesRoute.GET, `/api/v1/services?sort=tier&cursor=${cursorOf([99999999999, "card-api"])}`), 400],
      [get(servicesRoute.GET, `/api/v1/services?sort=name&cursor=${cursorOf(["card\u0000"])}`), 400],
      [get(servicesRoute.GET, `/api/v1/services?sort=updated&cursor=${cursorOf(["0000-01-01T00:00:00Z", "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817"])}`), 400],
      [get(auditRoute.GET, "/api/v1/audit?actor=amara%00"), 400],
      [get(auditRoute.GET, "/api/v1/audit?cursor=1e26"), 400],
      [get(auditRoute.GET, "/api/v1/audit?cursor=99999999999999999999999999"), 400],
      [get(auditRoute.GET, "/api/v1/audit?since=2026-13-45T00:00:00Z"), 400],
      [get(auditRoute.GET, "/api/v1/audit?since=0000-01-01T00:00:00Z"), 400],
      [get(rolloutsRoute.GET, "/api/v1/rollouts?cursor=2026-13-45T99:99:99Z%7C3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817"), 400],
      [get(rolloutsRoute.GET, "/api/v1/rollouts?cursor=2026-01-01T00:00:00Z%7C------------------------------------"), 400],
      [get(rolloutsRoute.GET, "/api/v1/rollouts?service=card%00"), 400],
      [get(serviceRoute.GET, "/api/v1/services/x", { name: "card\u0000api" }), 404],
      [get(teamRoute.GET, "/api/v1/teams/x", { name: "cards\u0000" }), 404],
      [get(deploysRoute.GET, "/api/v1/services/x/deploys", { name: "card\u0000api" }), 404],
      [get(releasesRoute.GET, "/api/v1/services/x/releases", { name: "card\u0000api" }), 404],
      [get(rolloutRoute.GET, "/api/v1/rollouts/x", { id: "not-a-uuid" }), 404],
      [get(evidenceRoute.GET, "/api/v1/rollouts/x/evidence", { id: "not-a-uuid\u0000" }), 404],
      [call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: person, body: JSON.stringify({ name: "ci \uD800", scopes: ["read"] }) }), 400],
    ];
    for (const [index, [response, status]] of cases.entries()) {
      const { status: got, headers } = await response;
      expect(got, `case ${index}`).toBe(status);
      expect(headers.get("content-type"), `case ${index}`).toBe("application/problem+json");
    }
  });

  it("refuses a YAML alias bomb as 422, quickly", async () => {
    const admin = await tokenFor(db.current(), { team: "cards" }, ["catalogue:write"]);
    const bomb = [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Component",
      "metadata:",
      "  name: bomb",
      '  labels: { l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"] }',
      ...Array.from({ length: 8 }, (_, i) => `  annotations${i}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(",")}]`),
      "spec: { type: service, lifecycle: production, owner: cards }",
    ].join("\n");
    const started = performance.now();
    const path = "/api/v1/catalogue/import";
    const response = await call(importRoute.POST, { method: "POST", path, caller: admin, body: bomb, contentType: "application/yaml" });
    expect(response.status).toBe(422);
    expect(response.body.errors[0].message).toMatch(/alias/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("answers any query string with 2xx or 4xx, never 500", async () => {
    const unit = fc.oneof(
      fc.constantFrom("\u0000", "\uD800", "\uDC00", "%", "&", "=", ",", "|", "-", ":", "T", "Z", "1", "9", "e", "a"),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    const text = fc.oneof(fc.string({ unit, maxLength: 30 }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String));
    const cursor = fc.oneof(
      text,
      fc.array(fc.oneof(fc.integer(), fc.double(), text, fc.constant(99999999999)), { maxLength: 3 }).map(cursorOf),
      fc.tuple(fc.date({ noInvalidDate: false }), fc.uuid()).map(([d, id]) => `${Number.isNaN(d.getTime()) ? "x" : d.toISOString()}|${id}`),
    );
    const keys = ["q", "kind", "team", "tier", "lifecycle", "tag", "sort", "limit", "cursor"].concat([
      "actor",
      "action",
      "target",
      "targetType",
      "since",
      "until",
      "service",
      "environment",
      "state",
    ]);
    const known = fc.constantFrom("tier", "updated", "-name", "relevance", "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z");
    const query = fc.array(fc.tuple(fc.constantFrom(...keys), fc.oneof(text, cursor, known)), { maxLength: 4 });
    const routes = [
      ["/api/v1/services", servicesRoute.GET],
      ["/api/v1/services/facets", facetsRoute.GET],
      ["/api/v1/teams", teamsRoute.GET],
      ["/api/v1/search", searchRoute.GET],
      ["/api/v1/audit", auditRoute.GET],
      ["/api/v1/rollouts", rolloutsRoute.GET],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), query, async ([path, handler], pairs) => {
        const search = new URLSearchParams(pairs);
        const { status, body } = await get(handler, `${path}?${search}`);
        expect(status, `${path}?${search} -> ${JSON.stringify(body)}`).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 70 }), async (name) => {
        for (const [handler, params] of [
          [serviceRoute.GET, { name }],
          [teamRoute.GET, { name }],
          [deploysRoute.GET, { name }],
          [rolloutRoute.GET, { id: name }],
          [evidenceRoute.GET, { id: name }],
        ] as const) {
          expect((await get(handler, "/api/v1/x", params)).status).toBeLessThan(500);
        }
      }),
      { numRuns: 50 },
    );
  }, 120_000);
});
