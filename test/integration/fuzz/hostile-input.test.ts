import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlipway } from "../../../server/composition";
import { seedDemo } from "../../../server/demo/seed";
import { workloadActions } from "../../../server/releases";
import { maxNestingDepth } from "../../../server/shared/body";
import { sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";
import { RecordingBackend } from "../../fixtures/recording-backend";

/**
 * Hostile input against every route handler under app/api, discovered from the files (a new route is fuzzed without
 * anyone remembering to add it): generated junk in bodies, query strings and path segments (random JSON, wrong types
 * for the fields Slipway reads, huge and odd Unicode strings, prototype-pollution keys, deep nesting, wrong media
 * types). Whatever arrives: never a 500, every 4xx a problem+json, and a refused write leaves every table's row count
 * as it was (a refusal may add its own audit event, and nothing else).
 */

const root = process.cwd();
const apiDir = path.join(root, "app/api");
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { file: string; template: string; method: string; handler: Handler; params: string[]; actions: string[] };

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

async function discoverRoutes(): Promise<Route[]> {
  const routes: Route[] = [];
  for (const file of routeFiles(apiDir).sort()) {
    const template = `/${path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).join("/")}`;
    const source = fs.readFileSync(file, "utf8");
    const module = (await import(file)) as Record<string, unknown>;
    const params = [...template.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
    // The actions an [action] route answers (as the permission matrix finds them), so generated calls reach past the switch.
    const actions = template.includes("[environment]/[action]") ? [...workloadActions] : [...source.matchAll(/case\s+"([a-z-]+)"\s*:/g)].map((m) => m[1]!);
    for (const method of httpMethods) {
      if (typeof module[method] === "function") routes.push({ file, template, method, handler: module[method] as Handler, params, actions });
    }
  }
  return routes;
}

// ---- generated junk ----

const oddText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "\u0000",
    "\uD800",
    "\uDFFF",
    "\u202E",
    "\uFEFF",
    "%00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "${jndi:ldap://x}",
    "<script>",
    "card-api",
    "production",
  ),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => "x".repeat(n)),
);
const pollutionKey = fc.constantFrom("__proto__", "constructor", "prototype", "__defineGetter__", "hasOwnProperty", "toString");
/** Names of fields Slipway's bodies and queries read, so wrong types land where they are checked. */
const fieldName = fc.constantFrom(
  "name",
  "service",
  "environment",
  "version",
  "image",
  "reason",
  "comment",
  "scopes",
  "expiresAt",
  "days",
  "team",
  "commitSha",
  "commitUrl",
  "author",
  "changelog",
  "toRevision",
  "full",
  "startsAt",
  "endsAt",
  "environments",
  "q",
  "cursor",
  "limit",
  "sort",
  "from",
  "to",
  "level",
  "pod",
  "container",
  "person",
  "state",
  "since",
  "until",
  "actor",
  "action",
  "target",
  "kind",
  "tier",
  "lifecycle",
  "tag",
  "step",
  "range",
);
const scalar = fc.oneof(oddText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String));
const { tree: junkValue } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
  array: fc.array(tie("tree"), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(fieldName, pollutionKey, fc.string({ maxLength: 10 })), tie("tree"), { maxKeys: 6 }),
}));
const deep = fc.integer({ min: maxNestingDepth + 1, max: 5_000 }).map((n) => "[".repeat(n) + "]".repeat(n));

/** A body as bytes on the wire: JSON of junk, JSON with pollution keys written literally, broken JSON, deep nesting, nothing. */
const body = fc.oneof(
  { weight: 5, arbitrary: junkValue.map((v) => JSON.stringify(v) ?? "null") },
  { weight: 2, arbitrary: fc.tuple(pollutionKey, junkValue).map(([k, v]) => `{"${k}": ${JSON.stringify(v) ?? "null"}, "name": "card-api"}`) },
  { weight: 1, arbitrary: oddText },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.constant("") },
);
const otherType = fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "");
/** What the route reads (YAML for the catalogue import, JSON elsewhere), mostly; sometimes something else. */
const contentTypeFor = (route: Route) =>
  fc.oneof(
    { weight: 6, arbitrary: route.template.endsWith("/catalogue/import") ? fc.constantFrom("application/yaml", "text/yaml") : fc.constant("application/json") },
    { weight: 1, arbitrary: otherType },
  );
/** Values a query reads when it is right, so junk in one parameter is checked past the others. */
const plausiblePair = fc.constantFrom<[string, string]>(
  ["environment", "production"],
  ["environment", "staging"],
  ["services", "card-api"],
  ["range", "1h"],
  ["from", "2026-12-01T00:00:00Z"],
  ["to", "2026-12-01T01:00:00Z"],
  ["level", "error"],
  ["limit", "5"],
  ["q", "card"],
  ["sort", "name"],
);
const junkPair = fc.tuple(fc.oneof(fieldName, pollutionKey, fc.string({ maxLength: 8 })), fc.oneof(scalar.map(String), oddText));
const query = fc.array(fc.oneof(plausiblePair, junkPair), { maxLength: 5 });

/** Each property below stops after this long however slow the machine (the whole file stays well under 90 s). */
const budgetMs = 20_000;

// ---- calling a handler as Next.js would ----

type Answer = { status: number; type: string; body: string };

async function callRoute(
  route: Route,
  options: { params: Record<string, string>; caller: Caller; search: URLSearchParams; body?: string; type?: string },
): Promise<Answer> {
  const headers = new Headers({ host: "slipway.test", "x-slipway-client-ip": "10.0.0.9" });
  if (options.caller.kind === "session") {
    headers.set("cookie", `slipway_session=${options.caller.cookie}; slipway_csrf=${options.caller.csrf}`);
    headers.set("x-csrf-token", options.caller.csrf);
    headers.set("sec-fetch-site", "same-origin");
  }
  if (options.caller.kind === "token") headers.set("authorization", `Bearer ${options.caller.token}`);
  if (options.type) headers.set("content-type", options.type);
  const concrete = route.template.replace(/\[([^\]]+)\]/g, (_, p: string) =>
    encodeURIComponent((options.params[p] ?? "x").replace(/[\uD800-\uDFFF]/g, "\uFFFD")),
  );
  const search = options.search.toString();
  const abort = new AbortController();
  const request = new NextRequest(new URL(`${concrete}${search ? `?${search}` : ""}`, "http://slipway.test"), {
    method: route.method,
    headers,
    signal: abort.signal,
    ...(options.body !== undefined && route.method !== "GET" ? { body: options.body } : {}),
  });
  const response = await route.handler(request, { params: Promise.resolve(options.params) });
  const type = response.headers.get("content-type") ?? "";
  // A live stream answers for as long as someone listens: hang up, as a browser leaving the page does.
  if (type.startsWith("text/event-stream")) {
    abort.abort();
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, type, body: "" };
  }
  return { status: response.status, type, body: await response.text() };
}

function expectAcceptable(answer: Answer, what: string): void {
  expect(answer.status, `${what} -> ${answer.status} ${answer.body.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) expect(answer.type, `${what} -> ${answer.status} ${answer.body.slice(0, 200)}`).toBe("application/problem+json");
}

describe("hostile input to every API route", () => {
  const db = useTestDatabase();
  let routes: Route[];
  let callers: Caller[];
  let ids: { rollout: string; freeze: string; token: string };
  let stopRuntime: (() => Promise<void>) | undefined;

  /** Rows per table, in one statement. */
  async function rowCounts(): Promise<Record<string, number>> {
    const prisma = db.current().prisma;
    const tables = await prisma.$queryRaw<Array<{ tablename: string }>>`
      SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`;
    const sql = tables.map((t) => `SELECT '${t.tablename}' AS name, count(*)::int AS rows FROM "${t.tablename}"`).join(" UNION ALL ");
    const rows = await prisma.$queryRawUnsafe<Array<{ name: string; rows: number }>>(sql);
    return Object.fromEntries(rows.map((r) => [r.name, r.rows]));
  }

  beforeEach(async () => {
    const prisma = db.current().prisma;
    await seedDemo(prisma, { history: false });
    const runtime = createSlipway({ database: db.current(), releases: { backend: new RecordingBackend(), intervalMs: 3_600_000 } }).releases!;
    await runtime.reconciler.stop();
    stopRuntime = runtime.reconciler.stop;
    routes ??= await discoverRoutes();
    // Callers who may do a lot: so the junk gets past authentication and the permission check to the parsing.
    const admin = await sessionFor(db.current(), "aisha.bello");
    const engineer = await sessionFor(db.current(), "amara.okafor");
    const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write", "catalogue:write"]);
    const reader = await tokenFor(db.current(), { person: "amara.okafor" }, ["read"]);
    callers = [admin, engineer, ci, reader];
    const service = await prisma.service.findFirstOrThrow({ where: { name: "card-api" } });
    const release = await prisma.release.create({
      data: {
        serviceId: service.id,
        version: "9.9.9",
        image: "registry.example/card-api:9.9.9",
        commitSha: "a".repeat(40),
        author: "fuzz",
        registeredBy: "fuzz",
      },
    });
    const rollout = await prisma.rollout.create({
      data: { serviceId: service.id, environment: "production", releaseId: release.id, state: "awaiting_approval", requestedByName: "fuzz" },
    });
    const freeze = await prisma.freeze.findFirst();
    ids = { rollout: rollout.id, freeze: freeze?.id ?? rollout.id, token: reader.id };
  });

  afterEach(async () => {
    await stopRuntime?.();
  });

  const paramValue = (name: string, route: Route) => {
    const known: Record<string, () => string[]> = {
      name: () => ["card-api", "cards", "ledger"],
      id: () => [ids.rollout, ids.freeze, ids.token, "00000000-0000-4000-8000-000000000000"],
      action: () => (route.actions.length ? route.actions : ["approve"]),
      environment: () => ["production", "staging"],
      pod: () => ["card-api-7d9f8b6c5d-x2x4z"],
    };
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(known[name]?.() ?? ["x"])) }, { weight: 1, arbitrary: oddText });
  };

  const paramsFor = (route: Route) => fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(p, route)])) as Record<string, fc.Arbitrary<string>>);

  it("answers junk bodies on every mutating route without a 500, with problem+json, and without a partial write", async () => {
    // Signing out and revoking tokens end the callers' credentials: those routes go last.
    const endsCredentials = (r: Route) => r.template.endsWith("/signout") || r.template.endsWith("/tokens/[id]");
    const mutating = routes.filter((r) => r.method !== "GET").sort((a, b) => Number(endsCredentials(a)) - Number(endsCredentials(b)));
    expect(mutating.length).toBeGreaterThan(10);
    let before = await rowCounts();
    for (const route of mutating) {
      await fc.assert(
        fc.asyncProperty(paramsFor(route), fc.constantFrom(...callers), body, contentTypeFor(route), query, async (params, caller, text, type, pairs) => {
          const what = `${route.method} ${route.template} ${JSON.stringify(params)} ${type} ${text.slice(0, 120)}`;
          const answer = await callRoute(route, { params, caller, search: new URLSearchParams(pairs), body: text, type });
          expectAcceptable(answer, what);
          const after = await rowCounts();
          if (answer.status >= 400) {
            // A refusal is audited (one event) and counts towards rate limits; nothing else may have been written.
            const changed = Object.keys(after).filter((t) => after[t] !== before[t] && t !== "audit_event" && t !== "rate_limit");
            expect(changed, `${what} -> ${answer.status} changed ${changed.join(", ")}`).toEqual([]);
            expect((after.audit_event ?? 0) - (before.audit_event ?? 0), what).toBeLessThanOrEqual(1);
          }
          before = after;
        }),
        { numRuns: 25, interruptAfterTimeLimit: Math.round(budgetMs / mutating.length) },
      );
    }
  }, 90_000);

  it("answers junk query strings and path segments on every GET route without a 500, with problem+json", async () => {
    const reads = routes.filter((r) => r.method === "GET");
    expect(reads.length).toBeGreaterThan(15);
    for (const route of reads) {
      await fc.assert(
        fc.asyncProperty(paramsFor(route), fc.constantFrom(...callers), query, async (params, caller, pairs) => {
          const search = new URLSearchParams(pairs);
          const answer = await callRoute(route, { params, caller, search });
          expectAcceptable(answer, `GET ${route.template} ${JSON.stringify(params)} ?${search.toString().slice(0, 200)}`);
        }),
        { numRuns: 15, interruptAfterTimeLimit: Math.round(budgetMs / reads.length) },
      );
    }
  }, 90_000);

  it("refuses oversized and deeply nested JSON and YAML early: 413 or 422, in well under a second", async () => {
    const importRoute = routes.find((r) => r.template === "/api/v1/catalogue/import" && r.method === "POST")!;
    const tokensRoute = routes.find((r) => r.template === "/api/v1/tokens" && r.method === "POST")!;
    const [admin, , ci] = callers as [Caller, Caller, Caller];
    const huge = `a: ${"b".repeat(11 * 1024 * 1024)}`;
    const cases: Array<[Route, Caller, string, string, number]> = [
      [importRoute, ci, "application/yaml", `a: ${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`, 422],
      [importRoute, ci, "application/yaml", Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n"), 422],
      [importRoute, ci, "application/yaml", `${"- ".repeat(500)}x`, 422],
      [importRoute, ci, "application/yaml", huge, 413],
      [tokensRoute, admin, "application/json", `{"name":${"[".repeat(400_000)}${"]".repeat(400_000)}}`, 422],
      [tokensRoute, admin, "application/json", JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }), 413],
    ];
    const before = await rowCounts();
    for (const [route, caller, type, text, status] of cases) {
      const started = performance.now();
      const answer = await callRoute(route, { params: {}, caller, search: new URLSearchParams(), body: text, type });
      const ms = performance.now() - started;
      expect(answer.status, `${route.template} ${text.slice(0, 40)} -> ${answer.body.slice(0, 200)}`).toBe(status);
      expect(answer.type).toBe("application/problem+json");
      expect(ms, `${route.template} ${text.slice(0, 40)}`).toBeLessThan(1_000);
    }
    const after = await rowCounts();
    expect(Object.keys(after).filter((t) => after[t] !== before[t] && t !== "audit_event")).toEqual([]);
  }, 60_000);
});
