import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../../server/audit";
import { startKubeSim, type KubeSim } from "../../server/demo/kube-sim";
import { openDatabase, type Database } from "../../server/shared/db";
import { sessionFor, tokenFor, type Caller } from "../fixtures/api";
import { adminUrl, databaseUrl } from "../fixtures/global-setup";
import { startSlipway, type RunningSlipway } from "../fixtures/slipway-server";

/**
 * Slipway killed at any point of a production rollout loses nothing: the next start reconciles the rollout with the
 * cluster and finishes it, with exactly one change applied. The cluster is a simulator in this test process, so it
 * outlives the Slipway process being killed.
 */
describe("crash safety", () => {
  let sim: KubeSim;
  let database: Database;
  let slipway: RunningSlipway | undefined;
  let configFile: string;
  let dbUrl: string;
  const dbName = `slipway_crash_${process.pid}_${Date.now().toString(36)}`;
  const image = (v: string) => `registry.harbourbank.example/card-api:${v}`;

  beforeAll(async () => {
    sim = await startKubeSim({ clock: "real", clusterName: "production", podReadyDelayMs: 400 });
    await sim.seedWorkloads([
      { namespace: "cards", name: "card-api", image: image("1.0.0"), replicas: 2, labels: { "backstage.io/kubernetes-id": "card-api" } },
    ]);
    configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "slipway-crash-")), "slipway.config.yaml");
    fs.writeFileSync(
      configFile,
      `environments:
  - name: production
    production: true
    approvals: { default: 1 }
namespaceOwners:
  cards: [cards]
clusters:
  - name: production
    environment: production
    connection: { server: "${sim.url}", token: "${sim.adminToken}", insecureSkipTlsVerify: true }
`,
    );
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    dbUrl = databaseUrl(dbName);
  });

  afterAll(async () => {
    await slipway?.stop();
    await database?.close();
    await sim?.stop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  const start = async (crashAt?: string) => {
    slipway = await startSlipway({
      DATABASE_URL: dbUrl,
      SLIPWAY_DEMO: "on",
      SLIPWAY_CONFIG: configFile,
      SLIPWAY_APPLY_LEASE_MS: "1500",
      ...(crashAt ? { SLIPWAY_CRASH_AT: crashAt } : {}),
    });
    database ??= await openDatabase({ databaseUrl: dbUrl });
    return slipway;
  };

  const http = async (caller: Caller, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (caller.kind === "session") {
      headers.cookie = `slipway_session=${caller.cookie}; slipway_csrf=${caller.csrf}`;
      headers["x-csrf-token"] = caller.csrf;
    }
    if (caller.kind === "token") headers.authorization = `Bearer ${caller.token}`;
    const res = await fetch(`${slipway!.url}${url}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  const deployment = async () => {
    const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/cards/deployments/card-api`, { headers: { authorization: `Bearer ${sim.adminToken}` } });
    return (await res.json()) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
  };
  const replicaSets = async () => {
    const res = await fetch(`${sim.url}/apis/apps/v1/namespaces/cards/replicasets?labelSelector=backstage.io%2Fkubernetes-id%3Dcard-api`, {
      headers: { authorization: `Bearer ${sim.adminToken}` },
    });
    return ((await res.json()) as { items: unknown[] }).items.length;
  };
  const stateOf = async (id: string) => (await database.prisma.rollout.findUniqueOrThrow({ where: { id } })).state;
  const waitFor = async (what: () => Promise<boolean>, ms = 45_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("timed out");
  };
  const exited = (s: RunningSlipway) =>
    new Promise<void>((resolve) => (s.process.exitCode !== null || s.process.signalCode !== null ? resolve() : s.process.once("exit", () => resolve())));

  const requestAndApprove = async (version: string) => {
    const ci = await tokenFor(database, { team: "cards" }, ["releases:write"]);
    const registered = await http(ci, "POST", "/api/v1/services/card-api/releases", { version, image: image(version), commitSha: "feedface42" });
    expect(registered.status).toBe(201);
    const amara = await sessionFor(database, "amara.okafor");
    const tom = await sessionFor(database, "tom.hughes");
    const requested = await http(amara, "POST", "/api/v1/rollouts", { service: "card-api", environment: "production", version, reason: "release" });
    expect(requested.status).toBe(201);
    const approved = await http(tom, "POST", `/api/v1/rollouts/${requested.body.id}/approve`, { comment: "go" });
    expect(approved.status).toBe(200);
    return requested.body.id as string;
  };

  it("finishes a rollout whose process died right after patching the cluster, without patching twice", async () => {
    const first = await start("after-patch");
    const id = await requestAndApprove("8.0.0");
    await exited(first);
    expect(first.process.signalCode).toBe("SIGKILL");
    // The cluster got the change; Slipway's record still says it was being applied.
    expect((await deployment()).spec.template.spec.containers[0]!.image).toBe(image("8.0.0"));
    expect(await stateOf(id)).toBe("applying");

    await start();
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    expect(await replicaSets()).toBe(2);
    // The process that took over saw the image in place and sent nothing again: one PATCH of the Deployment in all.
    expect(sim.countRequests("PATCH", "/apis/apps/v1/namespaces/cards/deployments/card-api")).toBe(1);
    const actions = (await database.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual([
      "rollout.request",
      "checkpoint.approve",
      "rollout.approved",
      "rollout.apply_started",
      "rollout.apply_resumed",
      "rollout.applied",
      "rollout.succeeded",
    ]);
    expect((await verifyAudit(database.prisma)).ok).toBe(true);
    await slipway!.stop();
  });

  it("finishes a rollout whose process was killed after the approval, before anything reached the cluster", async () => {
    const first = await start("after-claim");
    const id = await requestAndApprove("8.1.0");
    await exited(first);
    expect((await deployment()).spec.template.spec.containers[0]!.image).toBe(image("8.0.0"));
    await start();
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    expect((await deployment()).spec.template.spec.containers[0]!.image).toBe(image("8.1.0"));
    await slipway!.stop();
  });

  it("picks up a rollout whose process was killed mid-progress", async () => {
    const first = await start();
    const id = await requestAndApprove("8.2.0");
    await waitFor(async () => (await stateOf(id)) === "progressing");
    first.process.kill("SIGKILL");
    await exited(first);
    await start();
    await waitFor(async () => (await stateOf(id)) === "succeeded");
    expect((await deployment()).spec.template.spec.containers[0]!.image).toBe(image("8.2.0"));
    expect(await replicaSets()).toBe(4);
  });
});
