import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../server/cli/build-if-stale";
import { startKubeSim, type KubeSim } from "../../../server/demo/kube-sim";
import { openDatabase, type Database } from "../../../server/shared/db";
import { sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { adminUrl, databaseUrl } from "../../fixtures/global-setup";
import { e2eDistDir, startSlipway, type RunningSlipway } from "../../fixtures/slipway-server";
import { openEventStream, startClusterProxy, startDatabaseProxy } from "./replica-harness";

/**
 * Two real Slipway processes on one Postgres database, as two pods of a Deployment: background work happens once,
 * live views follow changes made through the other replica, a SIGTERM'd or killed replica's rollout is finished by
 * the other, and a replica cut off from Postgres answers 503 and recovers by itself. The clusters are simulators in
 * this test process; each replica reaches production through its own proxy, so a test can hold one replica's
 * patches (a slow cluster) and knows which replica sent them. Replica A reaches Postgres through a TCP proxy the
 * test can cut.
 */
// The build the end-to-end tests use (built once, whichever test asks first).
const distDir = e2eDistDir;
const image = (v: string) => `registry.harbourbank.example/card-api:${v}`;
const deploymentPath = "/apis/apps/v1/namespaces/cards/deployments/card-api";

// Restarts of a replica and waits for the other to take over take longer than a unit of work elsewhere.
describe("two replicas on one database", { timeout: 240_000 }, () => {
  let production: KubeSim;
  let staging: KubeSim;
  let proxies: Record<"a" | "b", Awaited<ReturnType<typeof startClusterProxy>>>;
  let dbProxy: Awaited<ReturnType<typeof startDatabaseProxy>>;
  let database: Database;
  let dbUrl: string;
  const replicas: Partial<Record<"a" | "b", RunningSlipway>> = {};
  const configFiles: Partial<Record<"a" | "b", string>> = {};
  const dbName = `slipway_replicas_${process.pid}_${Date.now().toString(36)}`;
  const measured: Record<string, number> = {};

  // Every process a test started, so none outlives the file, whichever test failed halfway.
  const started: RunningSlipway[] = [];
  const start = async (name: "a" | "b", env: Record<string, string> = {}) => {
    const url = new URL(dbUrl);
    // Replica A reaches Postgres through the proxy the fault test cuts.
    if (name === "a") url.port = String(dbProxy.port);
    replicas[name] = await startSlipway({
      DATABASE_URL: url.toString(),
      SLIPWAY_DEMO: "on",
      SLIPWAY_CONFIG: configFiles[name]!,
      SLIPWAY_APPLY_LEASE_MS: "1500",
      SLIPWAY_DIST_DIR: distDir,
      // Two processes on one machine: the /metrics port of its own would clash.
      SLIPWAY_METRICS_PORT: "off",
      ...env,
    });
    started.push(replicas[name]);
    return replicas[name];
  };

  beforeAll(async () => {
    buildIfStale(distDir);
    [production, staging] = await Promise.all([
      startKubeSim({ clock: "real", clusterName: "production", podReadyDelayMs: 300 }),
      startKubeSim({ clock: "real", clusterName: "staging", podReadyDelayMs: 300 }),
    ]);
    const workload = { namespace: "cards", name: "card-api", image: image("1.0.0"), replicas: 2, labels: { "backstage.io/kubernetes-id": "card-api" } };
    await Promise.all([production.seedWorkloads([workload]), staging.seedWorkloads([workload])]);
    proxies = { a: await startClusterProxy(production.url), b: await startClusterProxy(production.url) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-replicas-"));
    for (const name of ["a", "b"] as const) {
      configFiles[name] = path.join(dir, `slipway-${name}.config.yaml`);
      fs.writeFileSync(
        configFiles[name],
        `environments:
  - name: staging
    policy: auto
  - name: production
    production: true
    approvals: { default: 1 }
namespaceOwners:
  cards: [cards]
clusters:
  - name: staging
    environment: staging
    connection: { server: "${staging.url}", token: "${staging.adminToken}", insecureSkipTlsVerify: true }
  - name: production
    environment: production
    connection: { server: "${proxies[name].url}", token: "${production.adminToken}", insecureSkipTlsVerify: true }
`,
      );
    }
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    dbUrl = databaseUrl(dbName);
    dbProxy = await startDatabaseProxy(Number(new URL(dbUrl).port || 5432));
    // One after the other: the first migrates and seeds, the second finds it done.
    await start("a");
    await start("b");
    database = await openDatabase({ databaseUrl: dbUrl });
  }, 600_000);

  afterAll(async () => {
    await Promise.all(started.map((r) => r.stop()));
    await database?.close();
    await Promise.all([production?.stop(), staging?.stop(), proxies?.a.close(), proxies?.b.close(), dbProxy?.close()]);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    console.log("replica figures (ms):", JSON.stringify(measured));
  }, 120_000);

  const http = async (on: "a" | "b", caller: Caller, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (caller.kind === "session") {
      headers.cookie = `slipway_session=${caller.cookie}; slipway_csrf=${caller.csrf}`;
      headers["x-csrf-token"] = caller.csrf;
    }
    if (caller.kind === "token") headers.authorization = `Bearer ${caller.token}`;
    const res = await fetch(`${replicas[on]!.url}${url}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Record<string, any> };
  };
  const cookieOf = (caller: Caller) => (caller.kind === "session" ? `slipway_session=${caller.cookie}; slipway_csrf=${caller.csrf}` : "");
  const stateOf = async (id: string) => (await database.prisma.rollout.findUniqueOrThrow({ where: { id } })).state;
  const actions = async (id: string) => (await database.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
  const count = (list: string[], action: string) => list.filter((a) => a === action).length;
  const waitFor = async (what: () => Promise<boolean>, ms = 45_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("timed out");
  };
  const exited = (s: RunningSlipway) =>
    new Promise<void>((resolve) => (s.process.exitCode !== null || s.process.signalCode !== null ? resolve() : s.process.once("exit", () => resolve())));

  const register = async (on: "a" | "b", version: string) => {
    const ci = await tokenFor(database, { team: "cards" }, ["releases:write"]);
    const registered = await http(on, ci, "POST", "/api/v1/services/card-api/releases", { version, image: image(version), commitSha: "feedface42" });
    expect(registered.status).toBe(201);
    return registered.body as { autoRollouts: string[] };
  };
  const request = async (on: "a" | "b", version: string) => {
    const amara = await sessionFor(database, "amara.okafor");
    const requested = await http(on, amara, "POST", "/api/v1/rollouts", { service: "card-api", environment: "production", version, reason: "release" });
    expect(requested.status).toBe(201);
    return requested.body.id as string;
  };
  const approve = async (on: "a" | "b", id: string) => {
    const tom = await sessionFor(database, "tom.hughes");
    const approved = await http(on, tom, "POST", `/api/v1/rollouts/${id}/approve`, { comment: "go" });
    expect(approved.status).toBe(200);
  };

  it("patches the cluster once per approval, auto-deploys once and expires a checkpoint once", async () => {
    const stagingBefore = staging.countRequests("PATCH", deploymentPath);
    const productionBefore = production.countRequests("PATCH", deploymentPath);
    const { autoRollouts } = await register("a", "9.0.0");
    expect(autoRollouts).toHaveLength(1);
    const id = await request("a", "9.0.0");
    // Approved through B while A (which registered) may hold the reconciler's lease: both race for the apply.
    await approve("b", id);
    await waitFor(async () => (await stateOf(id)) === "succeeded" && (await stateOf(autoRollouts[0]!)) === "succeeded");
    expect(production.countRequests("PATCH", deploymentPath) - productionBefore).toBe(1);
    expect(staging.countRequests("PATCH", deploymentPath) - stagingBefore).toBe(1);
    for (const rollout of [id, autoRollouts[0]!]) {
      const done = await actions(rollout);
      expect(count(done, "rollout.apply_started")).toBe(1);
      expect(count(done, "rollout.applied")).toBe(1);
      expect(count(done, "rollout.succeeded")).toBe(1);
    }

    // A checkpoint nobody decided in time expires once, whichever replica's pass gets there.
    await register("b", "9.0.1");
    const stale = [await request("a", "9.0.1")];
    await database.prisma.rollout.updateMany({ where: { id: { in: stale } }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await waitFor(async () => (await stateOf(stale[0]!)) === "expired");
    // Give a second pass of both replicas the chance to expire it again.
    await new Promise((r) => setTimeout(r, 4_500));
    expect(count(await actions(stale[0]!), "rollout.expired")).toBe(1);
    const leases = await database.prisma.lease.findMany();
    expect(leases.map((l) => l.name)).toContain("rollout-reconciler");
  });

  it("shows a change made through one replica to a browser connected to the other within a second", async () => {
    await register("a", "9.1.0");
    const id = await request("a", "9.1.0");
    const viewer = await sessionFor(database, "amara.okafor");
    const rolloutStream = await openEventStream(`${replicas.b!.url}/api/v1/rollouts/${id}/stream`, cookieOf(viewer));
    const markerStream = await openEventStream(`${replicas.b!.url}/api/v1/services/card-api/metrics/stream?environment=production`, cookieOf(viewer));
    await rolloutStream.waitFor((e) => e.event === "rollout");
    await markerStream.waitFor((e) => e.event === "markers");
    const sent = performance.now();
    await approve("a", id);
    const answered = performance.now();
    const seen = await rolloutStream.waitFor((e) => e.event === "rollout" && (e.data as { rollout: { state: string } }).rollout.state !== "awaiting_approval");
    const marker = await markerStream.waitFor((e) => e.event === "markers" && (e.data as Array<{ rolloutId: string }>).some((m) => m.rolloutId === id));
    measured.rolloutStreamDelay = Math.round(seen.at - answered);
    measured.markerStreamDelay = Math.round(marker.at - answered);
    measured.approveRequest = Math.round(answered - sent);
    expect(seen.at - answered).toBeLessThan(1_000);
    expect(marker.at - answered).toBeLessThan(1_000);
    rolloutStream.close();
    markerStream.close();
    await waitFor(async () => (await stateOf(id)) === "succeeded");
  });

  it("hands an apply in flight over when its replica gets SIGTERM, and the rollout finishes once", async () => {
    // A's grace period is shorter than its cluster's answer: A must hand the apply over, B finishes it. B is down
    // while A takes the apply (so the apply is surely A's, whichever replica holds the reconciler's lease), and
    // comes back while A's patch is held.
    await replicas.a!.stop();
    await replicas.b!.stop();
    const a = await start("a", { SLIPWAY_SHUTDOWN_GRACE_MS: "2000" });
    await register("a", "9.2.0");
    const id = await request("a", "9.2.0");
    const viewer = await sessionFor(database, "amara.okafor");
    const stream = await openEventStream(`${a.url}/api/v1/rollouts/${id}/stream`, cookieOf(viewer));
    await stream.waitFor((e) => e.event === "rollout");
    const before = production.countRequests("PATCH", deploymentPath);
    proxies.a.hold(180_000);
    const held = proxies.a.nextPatch();
    await approve("a", id);
    await held;
    expect(await stateOf(id)).toBe("applying");
    await start("b");
    const signalled = performance.now();
    a.process.kill("SIGTERM");
    const streamEnded = await stream.ended;
    await exited(a);
    measured.sigtermToStreamsClosed = Math.round(streamEnded - signalled);
    measured.sigtermToExit = Math.round(performance.now() - signalled);
    proxies.a.hold(0);
    expect(a.process.exitCode).toBe(0);
    // Open streams end at once, so browsers reconnect elsewhere; the process is gone within its grace period.
    expect(streamEnded - signalled).toBeLessThan(1_000);
    expect(performance.now() - signalled).toBeLessThan(2_000 + 2_000);
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    measured.sigtermToSucceeded = Math.round(performance.now() - signalled);
    expect(production.countRequests("PATCH", deploymentPath) - before).toBe(1);
    const done = await actions(id);
    expect(count(done, "rollout.apply_started")).toBe(1);
    expect(count(done, "rollout.apply_resumed")).toBe(1);
    expect(count(done, "rollout.applied")).toBe(1);
    expect(count(done, "rollout.succeeded")).toBe(1);
    await start("a");
  });

  /** Registers a version through B and waits for its staging auto-deploy to finish, so no replica claims it later. */
  const registerSettled = async (version: string) => {
    const { autoRollouts } = await register("b", version);
    for (const id of autoRollouts) await waitFor(async () => ["succeeded", "failed", "superseded", "rolled_back"].includes(await stateOf(id)));
  };

  it("finishes an apply in flight within the grace period when the cluster answers in time", async () => {
    await replicas.a!.stop();
    await registerSettled("9.3.0");
    const a = await start("a", { SLIPWAY_SHUTDOWN_GRACE_MS: "8000" });
    const id = await request("a", "9.3.0");
    // B is down while A takes the apply: otherwise B's reconciler pass may claim it first (it is then B's patch, not
    // A's, and there is nothing in flight on A to finish).
    await replicas.b!.stop();
    const before = production.countRequests("PATCH", deploymentPath);
    proxies.a.hold(1_500);
    const held = proxies.a.nextPatch();
    await approve("a", id);
    await held;
    const signalled = performance.now();
    a.process.kill("SIGTERM");
    await exited(a);
    measured.sigtermToExitFinishingApply = Math.round(performance.now() - signalled);
    proxies.a.hold(0);
    // A applied it before leaving (no takeover): the rollout moved on, patched once, resumed by nobody.
    expect(["progressing", "succeeded"]).toContain(await stateOf(id));
    await start("b");
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    expect(production.countRequests("PATCH", deploymentPath) - before).toBe(1);
    const done = await actions(id);
    expect(count(done, "rollout.apply_resumed")).toBe(0);
    expect(count(done, "rollout.succeeded")).toBe(1);
    await start("a");
  });

  for (const step of ["after-claim", "after-patch"]) {
    it(`finishes a rollout whose replica was killed ${step.replace("-", " ")}, on the other replica`, async () => {
      // A kills itself at that step of the first apply it claims: nothing else may be waiting for a claim when it
      // starts, and B is down while A claims (else B's reconciler pass may claim it first). B comes back and takes over.
      await replicas.a!.stop();
      const version = step === "after-claim" ? "9.4.0" : "9.5.0";
      await registerSettled(version);
      const id = await request("b", version);
      await replicas.b!.stop();
      const a = await start("a", { SLIPWAY_CRASH_AT: step });
      const before = production.countRequests("PATCH", deploymentPath);
      await approve("a", id);
      await exited(a);
      expect(a.process.signalCode).toBe("SIGKILL");
      expect(await stateOf(id)).toBe("applying");
      expect(production.countRequests("PATCH", deploymentPath) - before).toBe(step === "after-claim" ? 0 : 1);
      const killed = performance.now();
      await start("b");
      await waitFor(async () => (await stateOf(id)) === "succeeded");
      measured[`killed${step === "after-claim" ? "AfterClaim" : "AfterPatch"}ToSucceeded`] = Math.round(performance.now() - killed);
      // Taken over once; the image patch went to the cluster exactly once (after the patch, the takeover sees it in place).
      expect(production.countRequests("PATCH", deploymentPath) - before).toBe(1);
      const done = await actions(id);
      expect(count(done, "rollout.apply_resumed")).toBe(1);
      expect(count(done, "rollout.succeeded")).toBe(1);
      await start("a");
    });
  }

  it("answers 503 problem+json at once while Postgres is unreachable, loses no rollout, and recovers by itself", async () => {
    await register("b", "9.6.0");
    const id = await request("b", "9.6.0");
    const viewer = await sessionFor(database, "amara.okafor");
    expect((await http("a", viewer, "GET", "/api/v1/rollouts?environment=production")).status).toBe(200);
    // Approved through A, which loses Postgres right away: its apply cannot finish; B takes it over.
    await approve("a", id);
    dbProxy.cut();
    const asked = performance.now();
    const refused = await http("a", viewer, "GET", "/api/v1/rollouts?environment=production");
    measured.unreachableAnswer = Math.round(performance.now() - asked);
    expect(refused.status).toBe(503);
    expect(refused.type).toContain("application/problem+json");
    expect(refused.body.detail).toMatch(/database/);
    expect(performance.now() - asked).toBeLessThan(1_000);
    expect((await fetch(`${replicas.a!.url}/api/healthz`)).status).toBe(503);
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    expect(count(await actions(id), "rollout.succeeded")).toBe(1);

    dbProxy.restore();
    const restored = performance.now();
    await waitFor(async () => (await http("a", viewer, "GET", `/api/v1/rollouts/${id}`)).status === 200, 20_000);
    measured.recoveredAfterRestore = Math.round(performance.now() - restored);
    expect((await http("a", viewer, "GET", `/api/v1/rollouts/${id}`)).body.state).toBe("succeeded");
    // A's live views listen again: a change through B reaches a stream on A.
    await register("b", "9.7.0");
    const next = await request("b", "9.7.0");
    const stream = await openEventStream(`${replicas.a!.url}/api/v1/rollouts/${next}/stream`, cookieOf(viewer));
    await stream.waitFor((e) => e.event === "rollout");
    await approve("b", next);
    await stream.waitFor((e) => e.event === "rollout" && (e.data as { rollout: { state: string } }).rollout.state !== "awaiting_approval", 10_000);
    stream.close();
    await waitFor(async () => (await stateOf(next)) === "succeeded");
  });
});
