import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as signoutRoute from "../../../app/api/auth/signout/route";
import * as rolloutStream from "../../../app/api/v1/rollouts/[id]/stream/route";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import * as runtimeStream from "../../../app/api/v1/services/[name]/runtime/stream/route";
import * as tokenRoute from "../../../app/api/v1/tokens/[id]/route";
import { setClusterRegistry } from "../../../server/cluster/cluster-registry";
import { startKubeSim, type KubeSim } from "../../../server/demo/kube-sim";
import { seedDemo } from "../../../server/demo/seed";
import { setStreamRecheckMs } from "../../../server/shared/sse";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

const REG = "registry.harbourbank.example";

/** Opens a live stream through its route handler as a browser (cookie) or a script (token) would. */
async function open<P>(handler: (request: NextRequest, context: { params: Promise<P> }) => Promise<Response>, path: string, params: P, caller: Caller) {
  const headers = new Headers({ host: "slipway.test", "x-slipway-client-ip": "10.0.0.7" });
  if (caller.kind === "session") headers.set("cookie", `slipway_session=${caller.cookie}; slipway_csrf=${caller.csrf}`);
  if (caller.kind === "token") headers.set("authorization", `Bearer ${caller.token}`);
  const response = await handler(new NextRequest(new URL(path, "http://slipway.test"), { headers }), { params: Promise.resolve(params) });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    /** Everything received, once the server ends the stream; throws if it is still open after `ms`. */
    async ended(ms: number): Promise<string> {
      const deadline = Date.now() + ms;
      for (;;) {
        const left = deadline - Date.now();
        const chunk = left > 0 ? await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]) : null;
        if (chunk === null) {
          await reader.cancel();
          throw new Error(`the stream was still open after ${ms} ms`);
        }
        if (chunk.done) return text;
        text += decoder.decode(chunk.value, { stream: true });
      }
    },
    async firstEvent(name: string, ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (!text.includes(`event: ${name}\n`)) {
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
        if (chunk === null || chunk.done) throw new Error(`no ${name} event`);
        text += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

/** A live stream must stop delivering once its reader may no longer read: signed out, revoked, expired. */
describe("live streams after sign-out or revocation", () => {
  const db = useTestDatabase();
  let sim: KubeSim;
  let rolloutId: string;

  beforeAll(async () => {
    setStreamRecheckMs(100);
    sim = await startKubeSim({ clock: "manual" });
    await sim.seedWorkloads([
      { namespace: "cards", name: "card-api", image: `${REG}/card-api:2.4.0`, replicas: 1, labels: { "backstage.io/kubernetes-id": "card-api" } },
    ]);
    setClusterRegistry({
      environments: [{ name: "staging" }, { name: "production", production: true }],
      clusters: [{ name: "staging", environment: "staging", connection: { server: sim.url, token: sim.adminToken }, timeoutSeconds: 3 }],
      watch: { lingerMs: 200 },
    });
  });
  afterAll(async () => {
    setStreamRecheckMs(20_000);
    setClusterRegistry(null);
    await sim.stop();
  });
  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    const body = JSON.stringify({ version: "2.5.0", image: `${REG}/card-api:2.5.0`, commitSha: "0123abcd".repeat(5), author: "amara.okafor" });
    const path = "/api/v1/services/card-api/releases";
    const registered = await call(releasesRoute.POST, { method: "POST", path, caller: ci, body, params: { name: "card-api" } });
    expect(registered.status).toBe(201);
    rolloutId = (await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging" } })).id;
  });

  const openRollout = (caller: Caller) => open(rolloutStream.GET, `/api/v1/rollouts/${rolloutId}/stream`, { id: rolloutId }, caller);
  const openRuntime = (caller: Caller) => open(runtimeStream.GET, "/api/v1/services/card-api/runtime/stream", { name: "card-api" }, caller);

  it("ends a rollout's stream when its reader signs out", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const stream = await openRollout(amara);
    await stream.firstEvent("rollout", 3_000);
    const out = await call(signoutRoute.POST, { method: "POST", path: "/api/auth/signout", caller: amara });
    expect(out.status).toBeLessThan(400);
    await stream.ended(2_000);
  });

  it("ends a rollout's stream when the session is revoked elsewhere (another replica, or in the database)", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const stream = await openRollout(amara);
    await stream.firstEvent("rollout", 3_000);
    await db.current().prisma.session.update({ where: { id: amara.id }, data: { revokedAt: new Date() } });
    await stream.ended(2_000);
  });

  it("ends the runtime stream when the session expires or is signed out", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const stream = await openRuntime(amara);
    await stream.firstEvent("runtime", 3_000);
    await db.current().prisma.session.update({ where: { id: amara.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await stream.ended(2_000);

    const tom = await sessionFor(db.current(), "tom.hughes");
    const again = await openRuntime(tom);
    await again.firstEvent("runtime", 3_000);
    await call(signoutRoute.POST, { method: "POST", path: "/api/auth/signout", caller: tom });
    await again.ended(2_000);
  });

  it("ends a stream read with an API token once the token is revoked, and keeps it open while it is valid", async () => {
    const amara = await sessionFor(db.current(), "amara.okafor");
    const token = await tokenFor(db.current(), { person: "amara.okafor" }, ["read"]);
    const stream = await openRuntime(token);
    await stream.firstEvent("runtime", 3_000);
    // Several re-checks pass while the token is valid: the stream stays open.
    await expect(stream.ended(500)).rejects.toThrow(/still open/);

    const revoking = await openRollout(token);
    await revoking.firstEvent("rollout", 3_000);
    const revoked = await call(tokenRoute.DELETE, { method: "DELETE", path: `/api/v1/tokens/${token.id}`, caller: amara, params: { id: token.id } });
    expect(revoked.status).toBeLessThan(300);
    await revoking.ended(2_000);
  });
});
