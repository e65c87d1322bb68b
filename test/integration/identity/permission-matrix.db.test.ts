import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as tokensRoute from "../../../app/api/v1/tokens/route";
import * as tokenRoute from "../../../app/api/v1/tokens/[id]/route";
import * as signoutRoute from "../../../app/api/auth/signout/route";
import * as servicesRoute from "../../../app/api/v1/services/route";
import * as auditRoute from "../../../app/api/v1/audit/route";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import * as rolloutsRoute from "../../../app/api/v1/rollouts/route";
import * as rolloutAction from "../../../app/api/v1/rollouts/[id]/[action]/route";
import * as environmentAction from "../../../app/api/v1/services/[name]/environments/[environment]/[action]/route";
import * as freezesRoute from "../../../app/api/v1/freezes/route";
import * as freezeRoute from "../../../app/api/v1/freezes/[id]/route";
import * as resendRoute from "../../../app/api/v1/notifications/deliveries/[id]/resend/route";
import { seedDemo } from "../../../server/demo/seed";
import { startReconciler, workloadActions } from "../../../server/releases";
import { createSlipway } from "../../../server/composition";
import type { Database } from "../../../server/shared/db";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";
import { RecordingBackend } from "../../fixtures/recording-backend";

/**
 * Every mutating endpoint, every kind of caller: who may, who may not. The route files under app/api are discovered,
 * so a new mutating route (or a new action of an [action] route) fails this test until it has a row here.
 *
 * Demo people: amara.okafor is an engineer in cards, hannah.kowalski an engineer in notifications, isabel.fernandes a
 * viewer, tom.hughes an engineer in cards and approver for cards, aisha.bello an admin (not an approver).
 * Tokens: a squad token of cards (catalogue:write, or releases:write) acts as an engineer of cards that nobody in
 * particular answers for; a personal token of amara acts as amara, within its scopes.
 */
const cardApi = (tier: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: card-api
  title: Card API v2
  annotations:
    backstage.io/kubernetes-id: card-api
    backstage.io/kubernetes-namespace: cards
    github.com/project-slug: harbour-bank/card-api
    slipway.io/tier: "${tier}"
spec: { type: service, lifecycle: production, owner: cards, system: cards-platform }
`;
const orgChange = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: new-squad }
spec: { type: team, children: [] }
`;

type Expect = "allow" | 401 | 403;

const callers = [
  "anonymous",
  "viewer",
  "engineer:cards",
  "engineer:notifications",
  "approver",
  "admin",
  "token:cards:catalogue",
  "token:cards:releases",
  "token:amara:releases",
  "token:amara:read",
] as const;
type CallerName = (typeof callers)[number];

/** Who may, spelled once per kind of rule (README, "Roles"; server/identity/permissions.ts). */
const allowOnly = (...allowed: CallerName[]): Record<CallerName, Expect> =>
  Object.fromEntries(callers.map((c) => [c, c === "anonymous" ? 401 : allowed.includes(c) ? "allow" : 403])) as Record<CallerName, Expect>;
const everyone = allowOnly(...callers);
const sessions: CallerName[] = ["viewer", "engineer:cards", "engineer:notifications", "approver", "admin"];
/** Engineers of cards (people, their personal tokens with releases:write, the squad's releases token) and admins. */
const cardsEngineers: CallerName[] = ["engineer:cards", "approver", "admin", "token:cards:releases", "token:amara:releases"];
/** A production decision: a person signed in who approves for cards and did not request the rollout (four-eyes). */
const cardsApproverNotRequester: CallerName[] = ["approver"];

type Ctx = {
  victimTokenId: string;
  /** Sessions of people who set up state (requests, approvals) outside the matrix callers. */
  amara: Caller;
  tom: Caller;
  daniel: Caller;
  james: Caller;
  ci: Caller;
  backend: ArgoBackend;
  /** Per-row scratch set by `before`. */
  row: Record<string, string>;
  db: () => Database["prisma"];
  /** Runs the reconciler until what was approved has rolled out. */
  settle: () => Promise<void>;
  /** A production checkpoint for a fresh card-api release, requested by `requester`, awaiting approval. */
  productionRequestBy: (requester: Caller) => Promise<Record<string, string>>;
  /** A production rollout of card-api requested by `requester`, approved by others, still progressing (a canary). */
  progressingInProduction: (requester: Caller) => Promise<void>;
};

type Row = {
  /** "METHOD /api/... path" with [segments] as {segments} and an [action] segment spelled out. */
  route: string;
  variant?: string;
  /** Once per row, before the first caller. */
  before?: (ctx: Ctx) => Promise<void>;
  /** Before each caller: a fresh target (e.g. a new checkpoint), so one caller's success does not change the next one's answer. */
  prepare?: (ctx: Ctx) => Promise<Record<string, string>>;
  run: (caller: Caller, ctx: Ctx, fresh: Record<string, string>) => Promise<{ status: number; body?: unknown }>;
  expect: Record<CallerName, Expect>;
  /** What a refusal must say, where the reason is the point of the row (four-eyes, a person must ask). */
  reasons?: Partial<Record<CallerName, RegExp>>;
};

/** Mutating routes that are not permission-checked like the rest, and why. */
const exempt: Record<string, string> = {
  "POST /api/auth/demo":
    "demo sign-in creates the session (anyone may become a demo person while demo sign-in is on); tested in sessions.db.test.ts and sign-in.db.test.ts",
};

let versions = 0;
const nextVersion = () => `3.${Math.floor(versions / 100)}.${versions++ % 100}`;
const build = (version: string) =>
  JSON.stringify({
    version,
    image: `registry.harbourbank.example/card-api:${version}`,
    commitSha: "0123abcd".repeat(5),
    commitUrl: `https://git.example/card-api/commit/${version}`,
    author: "amara.okafor",
    changelog: `Changes in ${version}`,
  });

const register = (caller: Caller, version: string) =>
  call(releasesRoute.POST, { method: "POST", path: "/api/v1/services/card-api/releases", caller, body: build(version), params: { name: "card-api" } });
const requestRollout = (caller: Caller, environment: string, version: string) =>
  call(rolloutsRoute.POST, {
    method: "POST",
    path: "/api/v1/rollouts",
    caller,
    body: JSON.stringify({ service: "card-api", environment, version, reason: "weekly release" }),
  });
const act = (caller: Caller, id: string, action: string, body: Record<string, unknown> = { comment: "looks good" }) =>
  call(rolloutAction.POST, { method: "POST", path: `/api/v1/rollouts/${id}/${action}`, caller, body: JSON.stringify(body), params: { id, action } });
const operate = (caller: Caller, environment: string, action: string) =>
  call(environmentAction.POST, {
    method: "POST",
    path: `/api/v1/services/card-api/environments/${environment}/${action}`,
    caller,
    body: JSON.stringify({ reason: "matrix" }),
    params: { name: "card-api", environment, action },
  });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** Workloads are Argo Rollouts here, so the canary-only actions (abort, retry, promote-full) apply. */
class ArgoBackend extends RecordingBackend {
  override async resolveTargets(...args: Parameters<RecordingBackend["resolveTargets"]>) {
    const found = await super.resolveTargets(...args);
    for (const t of found.targets) t.kind = "Rollout";
    return found;
  }
}

function expectOk(res: { status: number; body?: unknown }, what: string): void {
  if (res.status >= 300) throw new Error(`setup failed: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
}

const matrix: Row[] = [
  {
    route: "POST /api/v1/catalogue/import",
    variant: "a cards service, its policy unchanged",
    run: (caller) => call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: cardApi("2"), contentType: "application/yaml" }),
    expect: allowOnly("engineer:cards", "approver", "admin", "token:cards:catalogue"),
  },
  {
    route: "POST /api/v1/catalogue/import",
    variant: "a cards service's tier (who must approve)",
    prepare: async (ctx) => {
      await ctx.db().service.update({ where: { kind_name: { kind: "component", name: "card-api" } }, data: { tier: 2 } });
      return {};
    },
    run: (caller) => call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: cardApi("3"), contentType: "application/yaml" }),
    expect: allowOnly("admin"),
    reasons: { "engineer:cards": /needs an admin/, "token:cards:catalogue": /API tokens cannot|needs an admin/ },
  },
  {
    route: "POST /api/v1/catalogue/import",
    variant: "a new group",
    run: (caller) => call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller, body: orgChange, contentType: "application/yaml" }),
    expect: allowOnly("admin"),
  },
  {
    route: "POST /api/v1/tokens",
    variant: "for oneself",
    run: (caller) => call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller, body: JSON.stringify({ name: "ci", scopes: ["read"] }) }),
    expect: allowOnly(...sessions),
  },
  {
    route: "POST /api/v1/tokens",
    variant: "for a squad",
    run: (caller) =>
      call(tokensRoute.POST, {
        method: "POST",
        path: "/api/v1/tokens",
        caller,
        body: JSON.stringify({ name: "cards ci", scopes: ["releases:write"], team: "cards" }),
      }),
    expect: allowOnly("admin"),
  },
  {
    route: "DELETE /api/v1/tokens/{id}",
    variant: "someone else's",
    run: (caller, ctx) => call(tokenRoute.DELETE, { method: "DELETE", path: `/api/v1/tokens/${ctx.victimTokenId}`, caller, params: { id: ctx.victimTokenId } }),
    expect: allowOnly("admin"),
  },
  {
    route: "POST /api/auth/signout",
    run: (caller) => call(signoutRoute.POST, { method: "POST", path: "/api/auth/signout", caller }),
    expect: everyone,
  },
  {
    route: "POST /api/v1/services/{name}/releases",
    variant: "card-api, a new version",
    run: (caller) => register(caller, nextVersion()),
    // CI registers with the squad token; staging then rolls it out by itself.
    expect: allowOnly(...cardsEngineers),
  },
  {
    route: "POST /api/v1/rollouts",
    variant: "staging (automatic)",
    prepare: async (ctx) => {
      const version = nextVersion();
      expectOk(await register(ctx.ci, version), "register");
      await ctx.settle();
      // A newer release replaces it in staging: ask for this one back.
      expectOk(await register(ctx.ci, nextVersion()), "register");
      await ctx.settle();
      return { version };
    },
    run: (caller, _ctx, { version }) => requestRollout(caller, "staging", version!),
    expect: allowOnly(...cardsEngineers),
  },
  {
    route: "POST /api/v1/rollouts",
    variant: "production (a checkpoint)",
    before: async (ctx) => {
      ctx.row.version = nextVersion();
      expectOk(await register(ctx.ci, ctx.row.version), "register");
      await ctx.settle();
    },
    run: (caller, ctx) => requestRollout(caller, "production", ctx.row.version!),
    // A person must ask for production (signed in, or with a personal token): never the squad's CI token.
    expect: allowOnly("engineer:cards", "approver", "admin", "token:amara:releases"),
    reasons: { "token:cards:releases": /requested by a person/ },
  },
  {
    route: "POST /api/v1/rollouts/{id}/approve",
    variant: "a production checkpoint amara requested",
    prepare: (ctx) => ctx.productionRequestBy(ctx.amara),
    run: (caller, _ctx, { id }) => act(caller, id!, "approve"),
    expect: allowOnly(...cardsApproverNotRequester),
  },
  {
    route: "POST /api/v1/rollouts/{id}/reject",
    variant: "a production checkpoint amara requested",
    prepare: (ctx) => ctx.productionRequestBy(ctx.amara),
    run: (caller, _ctx, { id }) => act(caller, id!, "reject", { comment: "not today" }),
    expect: allowOnly(...cardsApproverNotRequester),
  },
  {
    route: "POST /api/v1/rollouts/{id}/approve",
    variant: "a production checkpoint tom requested (four-eyes)",
    prepare: (ctx) => ctx.productionRequestBy(ctx.tom),
    run: (caller, _ctx, { id }) => act(caller, id!, "approve"),
    // tom approves for cards but asked for this one himself; nobody else among the callers approves for cards.
    expect: allowOnly(),
    reasons: { approver: /Four-eyes/, admin: /approver role/ },
  },
  {
    route: "POST /api/v1/rollouts/{id}/cancel",
    variant: "a production request by amara",
    prepare: (ctx) => ctx.productionRequestBy(ctx.amara),
    run: (caller, _ctx, { id }) => act(caller, id!, "cancel", { reason: "wrong version" }),
    // The requester (in person or with her own token) or an admin.
    expect: allowOnly("engineer:cards", "admin", "token:amara:releases"),
  },
  {
    route: "POST /api/v1/rollouts/{id}/rollback",
    variant: "card-api in staging",
    prepare: async (ctx) => {
      const previous = nextVersion();
      expectOk(await register(ctx.ci, previous), "register");
      await ctx.settle();
      expectOk(await register(ctx.ci, nextVersion()), "register");
      await ctx.settle();
      const latest = await ctx
        .db()
        .rollout.findFirstOrThrow({ where: { environment: "staging", state: "succeeded", service: { name: "card-api" } }, orderBy: { createdAt: "desc" } });
      return { id: latest.id, previous };
    },
    run: (caller, _ctx, { id, previous }) => act(caller, id!, "rollback", { toVersion: previous, reason: "errors after release" }),
    expect: allowOnly(...cardsEngineers),
  },
  ...workloadActions.map((action): Row => ({
    route: `POST /api/v1/services/{name}/environments/{environment}/${action}`,
    variant: "card-api in staging",
    before: async (ctx) => {
      expectOk(await register(ctx.ci, nextVersion()), "register");
      await ctx.settle();
    },
    run: (caller) => operate(caller, "staging", action),
    // The squad operates its own workloads in the automatic environment, its CI token included.
    expect: allowOnly(...cardsEngineers),
  })),
  {
    route: "POST /api/v1/services/{name}/environments/{environment}/restart",
    variant: "card-api in production",
    run: (caller) => operate(caller, "production", "restart"),
    // In production a person operates: the squad's CI token drives automatic environments only.
    expect: allowOnly(...cardsEngineers.filter((c) => c !== "token:cards:releases")),
  },
  {
    route: "POST /api/v1/services/{name}/environments/{environment}/promote-full",
    variant: "card-api in production, a canary amara requested",
    before: (ctx) => ctx.progressingInProduction(ctx.amara),
    run: (caller) => operate(caller, "production", "promote-full"),
    // Skipping production's canary checkpoints is approving them: four-eyes, by a person, never a token.
    expect: allowOnly(...cardsApproverNotRequester),
  },
  {
    route: "POST /api/v1/services/{name}/environments/{environment}/promote-full",
    variant: "card-api in production, a canary tom requested (four-eyes)",
    before: (ctx) => ctx.progressingInProduction(ctx.tom),
    run: (caller) => operate(caller, "production", "promote-full"),
    expect: allowOnly(),
    reasons: { approver: /Four-eyes/, "token:cards:releases": /person|token/i },
  },
  {
    route: "POST /api/v1/freezes",
    variant: "a lock on card-api",
    run: (caller) =>
      call(freezesRoute.POST, {
        method: "POST",
        path: "/api/v1/freezes",
        caller,
        body: JSON.stringify({ service: "card-api", environment: "production", reason: "card scheme migration", endsAt: inAnHour() }),
      }),
    // The squad's call, made by a person: tokens never set freezes.
    expect: allowOnly("engineer:cards", "approver", "admin"),
  },
  {
    route: "POST /api/v1/freezes",
    variant: "everything (global)",
    run: (caller) =>
      call(freezesRoute.POST, { method: "POST", path: "/api/v1/freezes", caller, body: JSON.stringify({ reason: "year-end freeze", endsAt: inAnHour() }) }),
    expect: allowOnly("admin"),
  },
  {
    route: "DELETE /api/v1/freezes/{id}",
    variant: "amara's lock on card-api",
    before: async (ctx) => {
      const res = await call(freezesRoute.POST, {
        method: "POST",
        path: "/api/v1/freezes",
        caller: ctx.amara,
        body: JSON.stringify({ service: "card-api", reason: "incident", endsAt: inAnHour() }),
      });
      expectOk(res, "freeze");
      ctx.row.id = (res.body as { id: string }).id;
    },
    run: (caller, ctx) => call(freezeRoute.DELETE, { method: "DELETE", path: `/api/v1/freezes/${ctx.row.id}`, caller, params: { id: ctx.row.id! } }),
    // The person who set it (in the portal, not with a token) or an admin.
    expect: allowOnly("engineer:cards", "admin"),
  },
  {
    route: "POST /api/v1/notifications/deliveries/{id}/resend",
    variant: "a failed delivery",
    prepare: async (ctx) => {
      const db = ctx.db();
      const event = await db.notificationEvent.create({
        data: { kind: "freeze.started", payload: { kind: "freeze.started", occurredAt: new Date().toISOString() } },
      });
      const delivery = await db.notificationDelivery.create({
        data: { eventId: event.id, target: "hook", targetType: "webhook", state: "failed", attempts: 3 },
      });
      return { id: delivery.id };
    },
    run: (caller, _ctx, { id }) =>
      call(resendRoute.POST, { method: "POST", path: `/api/v1/notifications/deliveries/${id}/resend`, caller, body: "{}", params: { id: id! } }),
    // Sending chat messages and webhooks again is an operator's act: admins, in the portal.
    expect: allowOnly("admin"),
  },
];

/** Reads stay in the matrix too: reading is open to every signed-in caller and every token. */
const reads: Row[] = [
  { route: "GET /api/v1/services", run: (caller) => call(servicesRoute.GET, { path: "/api/v1/services", caller }), expect: everyone },
  { route: "GET /api/v1/audit", run: (caller) => call(auditRoute.GET, { path: "/api/v1/audit", caller }), expect: everyone },
];

// ---------------------------------------------------------------------------------------------------------------------
// Discovery: every route file under app/api, and the mutating methods it exports.

const root = fileURLToPath(new URL("../../../", import.meta.url));
const apiDir = path.join(root, "app/api");
const mutatingMethods = ["POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    return e.name === "route.ts" || e.name === "route.tsx" ? [full] : [];
  });
}

/** The actions an `[action]` route answers: the `case "x":` labels of its switch, or the list it validates against. */
function actionsOf(file: string, source: string): string[] {
  if (file.includes(path.join("environments", "[environment]", "[action]"))) return [...workloadActions];
  const cases = [...source.matchAll(/case\s+"([a-z-]+)"\s*:/g)].map((m) => m[1]!);
  if (!cases.length) throw new Error(`${path.relative(root, file)}: cannot tell which actions it answers; teach the permission matrix`);
  return cases;
}

function mutatingRoutes(): string[] {
  const found: string[] = [];
  for (const file of routeFiles(apiDir)) {
    const source = fs.readFileSync(file, "utf8");
    const segments = path.relative(apiDir, path.dirname(file)).split(path.sep);
    for (const method of mutatingMethods) {
      const exported = new RegExp(`export\\s+(?:const|(?:async\\s+)?function)\\s+${method}\\b|export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source);
      if (!exported) continue;
      const paths = segments.includes("[action]") ? actionsOf(file, source).map((a) => segments.map((s) => (s === "[action]" ? a : s))) : [segments];
      for (const p of paths) found.push(`${method} /api/${p.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`);
    }
  }
  return found.sort();
}

describe("permission matrix", () => {
  const db = useTestDatabase();
  let ctx: Ctx;
  let stopRuntime: (() => Promise<void>) | undefined;
  const make: Record<CallerName, () => Promise<Caller>> = {
    anonymous: async () => ({ kind: "anonymous" }),
    viewer: () => sessionFor(db.current(), "isabel.fernandes"),
    "engineer:cards": () => sessionFor(db.current(), "amara.okafor"),
    "engineer:notifications": () => sessionFor(db.current(), "hannah.kowalski"),
    approver: () => sessionFor(db.current(), "tom.hughes"),
    admin: () => sessionFor(db.current(), "aisha.bello"),
    "token:cards:catalogue": () => tokenFor(db.current(), { team: "cards" }, ["catalogue:write"]),
    "token:cards:releases": () => tokenFor(db.current(), { team: "cards" }, ["releases:write"]),
    "token:amara:releases": () => tokenFor(db.current(), { person: "amara.okafor" }, ["releases:write"]),
    "token:amara:read": () => tokenFor(db.current(), { person: "amara.okafor" }, ["read"]),
  };

  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    const backend = new ArgoBackend();
    // The route handlers find the backend here; its own reconciler stays off, and settle() runs passes on demand.
    const runtime = createSlipway({ database: db.current(), releases: { backend, intervalMs: 3_600_000 } }).releases!;
    await runtime.reconciler.stop();
    stopRuntime = runtime.reconciler.stop;
    const prisma = () => db.current().prisma;
    const settle = async () => {
      const r = startReconciler(prisma(), backend, { intervalMs: 3_600_000 });
      await r.runOnce();
      await r.runOnce();
      await r.stop();
    };
    const base = {
      victimTokenId: (await tokenFor(db.current(), { person: "ravi.patel" }, ["read"])).id,
      amara: await sessionFor(db.current(), "amara.okafor"),
      tom: await sessionFor(db.current(), "tom.hughes"),
      daniel: await sessionFor(db.current(), "daniel.mensah"),
      james: await sessionFor(db.current(), "james.oconnor"),
      ci: await tokenFor(db.current(), { team: "cards" }, ["releases:write"]),
      backend,
      row: {},
    };
    const productionRequestBy = async (requester: Caller) => {
      await settle();
      const version = nextVersion();
      expectOk(await register(base.ci, version), "register");
      await settle();
      const requested = await requestRollout(requester, "production", version);
      expectOk(requested, "production request");
      return { id: (requested.body as { id: string }).id };
    };
    const progressingInProduction = async (requester: Caller) => {
      const { id } = await productionRequestBy(requester);
      for (const approver of [base.tom, base.daniel, base.james]) {
        const rollout = await prisma().rollout.findUniqueOrThrow({ where: { id: id! } });
        if (rollout.state !== "awaiting_approval") break;
        if (approver === requester) continue;
        expectOk(await act(approver, id!, "approve"), "approval");
      }
      backend.outcome = "progressing";
      await settle();
      const rollout = await prisma().rollout.findUniqueOrThrow({ where: { id: id! } });
      if (rollout.state !== "progressing") throw new Error(`setup failed: the production rollout is ${rollout.state}, not progressing`);
    };
    ctx = { ...base, db: prisma, settle, productionRequestBy, progressingInProduction };
  });

  afterEach(async () => {
    await stopRuntime?.();
  });

  it("has a row (or a stated exemption) for every mutating route and action under app/api", () => {
    const covered = new Set([...matrix.map((r) => r.route), ...Object.keys(exempt)]);
    const routes = mutatingRoutes();
    expect(routes.length).toBeGreaterThan(10);
    expect(
      routes.filter((r) => !covered.has(r)),
      "mutating routes without a row in the permission matrix (add one, or an exemption with its reason)",
    ).toEqual([]);
    // And no row for a route that no longer exists.
    expect(
      [...covered].filter((r) => !routes.includes(r)),
      "matrix rows for routes that no longer exist",
    ).toEqual([]);
  });

  for (const row of [...reads, ...matrix]) {
    it(`${row.route}${row.variant ? ` (${row.variant})` : ""}`, async () => {
      ctx.row = {};
      await row.before?.(ctx);
      const actual: Record<string, Expect | number> = {};
      const details: Record<string, unknown> = {};
      for (const name of callers) {
        const fresh = (await row.prepare?.(ctx)) ?? {};
        const res = await row.run(await make[name](), ctx, fresh);
        actual[name] = res.status < 300 ? "allow" : res.status;
        if (res.status >= 300 && res.status !== 401 && res.status !== 403) details[name] = res.body;
        const reason = row.reasons?.[name];
        const detail = String((res.body as { detail?: unknown } | undefined)?.detail ?? "");
        if (reason && res.status === 403 && !reason.test(detail)) details[name] = `refused for another reason than ${reason}: ${detail}`;
      }
      // A status other than 401/403, or a refusal for the wrong reason, means the row did not test what it says.
      expect({ outcomes: actual, unexpected: details }).toEqual({ outcomes: row.expect, unexpected: {} });
    });
  }

  it("refuses a cookie-authenticated mutation without the CSRF token or from another site", async () => {
    const admin = await make.admin();
    const body = JSON.stringify({ name: "x", scopes: ["read"] });
    const noToken = await call(tokensRoute.POST, { method: "POST", path: "/api/v1/tokens", caller: admin, body, csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.detail).toMatch(/CSRF/);
    const crossSite = await call(tokensRoute.POST, {
      method: "POST",
      path: "/api/v1/tokens",
      caller: admin,
      body,
      headers: { "sec-fetch-site": "cross-site" },
    });
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
