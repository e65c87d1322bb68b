import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import * as rolloutsRoute from "../../../app/api/v1/rollouts/route";
import * as rolloutAction from "../../../app/api/v1/rollouts/[id]/[action]/route";
import * as freezesRoute from "../../../app/api/v1/freezes/route";
import * as resendRoute from "../../../app/api/v1/notifications/deliveries/[id]/resend/route";
import * as deliveriesRoute from "../../../app/api/v1/notifications/deliveries/route";
import { withAudit } from "../../../server/audit";
import { createSlipway } from "../../../server/composition";
import { seedDemo } from "../../../server/demo/seed";
import { systemContext } from "../../../server/identity/system-context";
import { findSessionPrincipal } from "../../../server/identity/sessions";
import { listSlackMessages, notificationSettings, startNotifications, startNotificationWorker, type NotificationWorker } from "../../../server/notifications";
import { startReconciler } from "../../../server/releases";
import { moveRollout } from "../../../server/releases/rollout-state-machine";
import type { NotificationsConfig } from "../../../server/shared/config-file";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";
import { RecordingBackend } from "../../fixtures/recording-backend";
import { startReceiver, waitFor } from "./receiver";

const publicUrl = "http://slipway.test";
const webhookSecret = "whsec_test_0123456789";

/** The config's notifications section; retries fast so a test sees several attempts in well under a second. */
function settingsFor(targets: NotificationsConfig["targets"], extra: Partial<NotificationsConfig> = {}) {
  return notificationSettings({
    targets,
    defaults: targets.filter((t) => t.type !== "slack-bot").map((t) => t.name),
    squadChannels: targets.find((t) => t.type === "slack-bot")?.name,
    environments: {},
    timeoutSeconds: 2,
    retry: { maxAttempts: 5, baseSeconds: 0.02, capSeconds: 0.1 },
    ...extra,
  });
}

/** The verification documented in README "Notifications", written out as a receiver would (not Slipway's code). */
function verifySignature(secret: string, header: string, rawBody: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${rawBody}`).digest("hex");
  return parts.v1.length === expected.length && timingSafeEqual(Buffer.from(parts.v1), Buffer.from(expected));
}

describe("notifications: the outbox and its delivery worker", () => {
  const db = useTestDatabase();
  let backend: RecordingBackend;
  let ci: Caller;
  let amara: Caller;
  let tom: Caller;
  let admin: Caller;
  let workers: NotificationWorker[] = [];
  let closers: Array<() => Promise<void>> = [];
  let versions = 0;

  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    backend = new RecordingBackend();
    createSlipway({ database: db.current(), releases: { backend, reconcile: false } });
    ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    amara = await sessionFor(db.current(), "amara.okafor");
    tom = await sessionFor(db.current(), "tom.hughes");
    admin = await sessionFor(db.current(), "aisha.bello");
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(closers.map((c) => c()));
    workers = [];
    closers = [];
  });

  const worker = (settings: ReturnType<typeof settingsFor>, options: { intervalMs?: number; workerId?: string } = {}) => {
    const w = startNotificationWorker({
      db: db.current().prisma,
      settings,
      publicUrl,
      intervalMs: options.intervalMs ?? 3_600_000,
      workerId: options.workerId,
    });
    workers.push(w);
    return w;
  };
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    closers.push(r.close);
    return r;
  };
  const settle = async () => {
    const r = startReconciler(db.current().prisma, backend, { intervalMs: 60_000 });
    await r.runOnce();
    await r.runOnce();
    await r.stop();
  };
  /** A card-api release registered by CI, rolled to staging, and a production rollout amara requested: a checkpoint. */
  const openCheckpoint = async () => {
    const version = `2.${versions++}.0`;
    const registered = await call(releasesRoute.POST, {
      method: "POST",
      path: "/api/v1/services/card-api/releases",
      caller: ci,
      body: JSON.stringify({
        version,
        image: `registry.harbourbank.example/card-api:${version}`,
        commitSha: "0123abcd".repeat(5),
        commitUrl: `https://git.example/card-api/commit/${version}`,
        author: "amara.okafor",
      }),
      params: { name: "card-api" },
    });
    expect(registered.status).toBe(201);
    await settle();
    const requested = await call(rolloutsRoute.POST, {
      method: "POST",
      path: "/api/v1/rollouts",
      caller: amara,
      body: JSON.stringify({ service: "card-api", environment: "production", version, reason: "weekly release" }),
    });
    expect(requested.status).toBe(201);
    return { id: (requested.body as { id: string }).id, version };
  };
  const freeze = async (reason: string) => {
    const res = await call(freezesRoute.POST, {
      method: "POST",
      path: "/api/v1/freezes",
      caller: admin,
      body: JSON.stringify({ reason, endsAt: new Date(Date.now() + 3_600_000).toISOString() }),
    });
    expect(res.status).toBe(201);
  };

  it("posts an opened checkpoint to the owning squad's channel once, mentioning its approvers, with a link to the checkpoint", async () => {
    const slack = await receiver(({ path }) =>
      path.startsWith("/api/users.lookupByEmail")
        ? { status: 200, json: path.includes("tom.hughes") ? { ok: true, user: { id: "U0TOM" } } : { ok: false, error: "users_not_found" } }
        : { status: 200, json: { ok: true, ts: "1.2" } },
    );
    const w = worker(settingsFor([{ name: "slack", type: "slack-bot", token: "xoxb-test", apiUrl: `${slack.url}/api`, lookupUsers: true }]));
    const { id, version } = await openCheckpoint();
    await w.runOnce();
    await w.runOnce();

    const posts = slack.received.filter((r) => r.path === "/api/chat.postMessage");
    // Staging's rollout (started, succeeded) and production's checkpoint, each posted once.
    const checkpointPosts = posts.filter((p) => JSON.parse(p.body).text.includes("awaits approval"));
    expect(checkpointPosts).toHaveLength(1);
    const message = JSON.parse(checkpointPosts[0]!.body);
    expect(checkpointPosts[0]!.headers.authorization).toBe("Bearer xoxb-test");
    expect(message.channel).toBe("#squad-cards");
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("card-api (cards)");
    expect(text).toContain(version);
    expect(text).toContain("Amara Okafor");
    expect(text).toMatch(/Evidence.*1 release.*staging: succeeded/);
    expect(text).toContain("<@U0TOM>");
    const button = message.blocks.find((b: { type: string }) => b.type === "actions").elements[0];
    expect(button.url).toBe(`${publicUrl}/rollouts/${id}`);
    expect(button.text.text).toBe("Review checkpoint");

    // Nothing is sent twice, however often the worker runs.
    const before = posts.length;
    await w.runOnce();
    expect(slack.received.filter((r) => r.path === "/api/chat.postMessage")).toHaveLength(before);
    expect(new Set(posts.map((p) => p.headers["idempotency-key"])).size).toBe(before);

    // The approver opens the link: the rollout it names is the checkpoint waiting for them.
    const approved = await call(rolloutAction.POST, {
      method: "POST",
      path: `/api/v1/rollouts/${id}/approve`,
      caller: tom,
      body: JSON.stringify({ comment: "ok" }),
      params: { id, action: "approve" },
    });
    expect(approved.status).toBe(200);
    await w.runOnce();
    const last = JSON.parse(slack.received.at(-1)!.body);
    expect(last.text).toMatch(/Checkpoint: card-api .* approved/);
    expect(JSON.stringify(last.blocks)).toContain("Tom Hughes");
  });

  it("on the embedded default, posts to a loopback Slack and shows the approver the message with its link", async () => {
    const demo = await startNotifications({ db: db.current().prisma, config: undefined, publicUrl, demo: true, intervalMs: 3_600_000 });
    closers.push(demo.stop);
    const { id } = await openCheckpoint();
    await demo.worker.runOnce();
    const principal = (await findSessionPrincipal(db.current().prisma, (tom as { cookie: string }).cookie))!;
    const messages = await listSlackMessages(db.current().prisma, principal);
    const checkpoint = messages.find((m) => m.kind === "checkpoint.awaiting_approval");
    expect(checkpoint).toMatchObject({ state: "delivered", channel: "#squad-cards", target: "demo-slack:#squad-cards" });
    expect(checkpoint!.mentions).toContain("tom.hughes");
    const actions = checkpoint!.message.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({ elements: [{ url: `${publicUrl}/rollouts/${id}`, text: { text: "Review checkpoint" } }] });
  });

  it("delivers each event exactly once to a receiver that answers 500 and then 200, recording every attempt", async () => {
    const hook = await receiver(({ nth }) => (nth === 1 ? 500 : 200));
    const w = worker(settingsFor([{ name: "hook", type: "webhook", url: `${hook.url}/slipway`, secret: webhookSecret }]), { intervalMs: 25 });
    await freeze("year-end freeze");
    await freeze("payments migration");
    const deliveries = await waitFor(async () => {
      const rows = await db.current().prisma.notificationDelivery.findMany({ include: { attemptLog: { orderBy: { number: "asc" } } } });
      return rows.length === 2 && rows.every((r) => r.state === "delivered") && rows;
    }, "both deliveries to succeed");
    void w;
    expect([...hook.accepted().values()]).toEqual([1, 1]);
    for (const d of deliveries) {
      expect(d.attemptLog.map((a) => [a.statusCode, a.ok])).toEqual([
        [500, false],
        [200, true],
      ]);
      expect(d.attemptLog[0]!.error).toMatch(/HTTP 500/);
    }
    // Every attempt of one delivery carried the same idempotency key.
    const keys = hook.received.map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(2);
    expect(keys).toHaveLength(4);
  });

  it("times out a hanging receiver and retries it, while other targets and the change itself go on", async () => {
    const hanging = await receiver(({ nth }) => (nth === 1 ? "hang" : 200));
    const healthy = await receiver(() => 200);
    const settings = settingsFor(
      [
        { name: "hanging", type: "webhook", url: hanging.url, secret: webhookSecret },
        { name: "healthy", type: "teams-webhook", url: healthy.url },
      ],
      { timeoutSeconds: 0.5 },
    );
    worker(settings, { intervalMs: 25 });
    const started = Date.now();
    await freeze("incident");
    // The freeze itself commits at once: delivery happens after, elsewhere.
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => healthy.received.length === 1, "the healthy target to receive the event");
    // The healthy one was served while the hanging one still held its first request.
    expect(hanging.received).toHaveLength(1);
    const hangingDelivery = await waitFor(
      async () =>
        (await db.current().prisma.notificationDelivery.findFirst({ where: { target: "hanging", state: "delivered" }, include: { attemptLog: true } })) ??
        undefined,
      "the hanging target to get it on a retry",
    );
    const attempts = hangingDelivery.attemptLog.sort((a, b) => a.number - b.number);
    expect(attempts[0]!.error).toBe("no answer within 500 ms");
    expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(450);
    expect(attempts.at(-1)!.ok).toBe(true);
    const teams = JSON.parse(healthy.received[0]!.body);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0].content.body[0].text).toMatch(/Freeze: every service/);
  });

  it("delivers once per event and target when two workers share the database", async () => {
    const hook = await receiver(() => 200);
    const settings = settingsFor(
      [
        { name: "hook-a", type: "webhook", url: `${hook.url}/a`, secret: webhookSecret },
        { name: "hook-b", type: "webhook", url: `${hook.url}/b`, secret: webhookSecret },
      ],
      { timeoutSeconds: 10 },
    );
    worker(settings, { intervalMs: 5, workerId: "replica-1" });
    worker(settings, { intervalMs: 5, workerId: "replica-2" });
    for (let i = 0; i < 12; i++) await freeze(`freeze ${i}`);
    await waitFor(async () => (await db.current().prisma.notificationDelivery.count({ where: { state: "delivered" } })) === 24, "24 deliveries");
    // One delivery per event and target, each with exactly one successful attempt; the receiver saw every key, and a
    // key twice only where a recorded attempt failed first (an answer that came after the timeout): never two sends at once.
    const deliveries = await db.current().prisma.notificationDelivery.findMany({ include: { attemptLog: true } });
    expect(deliveries).toHaveLength(24);
    for (const d of deliveries) {
      expect(d.attemptLog.filter((a) => a.ok)).toHaveLength(1);
      expect(hook.received.filter((r) => r.headers["idempotency-key"] === d.id)).toHaveLength(d.attemptLog.length);
    }
    expect(hook.accepted().size).toBe(24);
  });

  it("signs generic webhooks so a receiver can verify them as documented", async () => {
    const hook = await receiver(() => 200);
    const w = worker(settingsFor([{ name: "hook", type: "webhook", url: hook.url, secret: webhookSecret }]));
    await freeze("signed");
    await w.runOnce();
    const [request] = hook.received;
    const header = String(request!.headers["x-slipway-signature"]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(webhookSecret, header, request!.body)).toBe(true);
    expect(verifySignature("another-secret", header, request!.body)).toBe(false);
    expect(verifySignature(webhookSecret, header, request!.body.replace("signed", "tampered"))).toBe(false);
    const event = JSON.parse(request!.body);
    expect(event).toMatchObject({ type: "freeze.started", version: 1, data: { freeze: { reason: "signed" } } });
    expect(request!.headers["x-slipway-event"]).toBe("freeze.started");
    expect(request!.headers["idempotency-key"]).toBe(request!.headers["x-slipway-delivery"]);
  });

  it("writes an event if and only if the change's transaction commits", async () => {
    const { id } = await openCheckpoint();
    const prisma = db.current().prisma;
    const outbox = () => prisma.notificationEvent.findMany({ where: { rolloutId: id }, orderBy: { createdAt: "asc" } });
    expect((await outbox()).map((e) => e.kind)).toEqual(["checkpoint.awaiting_approval"]);

    // The move and its outbox row in one transaction that then fails: neither is left behind.
    await expect(
      withAudit(prisma, systemContext("test"), async (tx, audit) => {
        expect(await moveRollout(tx, audit, { id, from: ["awaiting_approval"], to: "expired" })).toBe(true);
        expect(await tx.notificationEvent.count({ where: { rolloutId: id, kind: "checkpoint.expired" } })).toBe(1);
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect((await prisma.rollout.findUniqueOrThrow({ where: { id } })).state).toBe("awaiting_approval");
    expect((await outbox()).map((e) => e.kind)).toEqual(["checkpoint.awaiting_approval"]);

    // The same move committed: its event is there.
    await withAudit(prisma, systemContext("test"), (tx, audit) => moveRollout(tx, audit, { id, from: ["awaiting_approval"], to: "expired" }));
    expect((await outbox()).map((e) => e.kind)).toEqual(["checkpoint.awaiting_approval", "checkpoint.expired"]);
  });

  it("lists deliveries for admins only and resends one, audited", async () => {
    const hook = await receiver(() => 410);
    const w = worker(settingsFor([{ name: "hook", type: "webhook", url: hook.url, secret: webhookSecret }]));
    await freeze("gone receiver");
    await w.runOnce();
    // A 410 will not get better by asking again: given up after one attempt.
    const list = await call(deliveriesRoute.GET, { path: "/api/v1/notifications/deliveries", caller: admin });
    expect(list.status).toBe(200);
    const [delivery] = list.body.deliveries;
    expect(delivery).toMatchObject({ state: "failed", attempts: 1, lastStatus: 410, target: "hook" });
    expect((await call(deliveriesRoute.GET, { path: "/api/v1/notifications/deliveries", caller: amara })).status).toBe(403);

    hook.setBehaviour(() => 200);
    const resend = (caller: Caller) =>
      call(resendRoute.POST, {
        method: "POST",
        path: `/api/v1/notifications/deliveries/${delivery.id}/resend`,
        caller,
        body: "{}",
        params: { id: delivery.id },
      });
    expect((await resend(amara)).status).toBe(403);
    const resent = await resend(admin);
    expect(resent.status).toBe(200);
    expect(resent.body.state).toBe("pending");
    await w.runOnce();
    const row = await db.current().prisma.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row.state).toBe("delivered");
    const audit = await db.current().prisma.auditEvent.findMany({ where: { action: { in: ["notification.resend", "access.refused"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["access.refused", "notification.resend"]);
  });
});
