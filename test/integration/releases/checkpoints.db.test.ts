import { beforeEach, describe, expect, it } from "vitest";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import * as rolloutsRoute from "../../../app/api/v1/rollouts/route";
import * as rolloutAction from "../../../app/api/v1/rollouts/[id]/[action]/route";
import * as checkpointsRoute from "../../../app/api/v1/checkpoints/route";
import * as freezesRoute from "../../../app/api/v1/freezes/route";
import * as freezeRoute from "../../../app/api/v1/freezes/[id]/route";
import * as importRoute from "../../../app/api/v1/catalogue/import/route";
import * as operateRoute from "../../../app/api/v1/services/[name]/environments/[environment]/[action]/route";
import { findSessionPrincipal } from "../../../server/identity/sessions";
import { systemContext } from "../../../server/identity/system-context";
import { operateWorkload } from "../../../server/releases";
import { listAuditEvents, verifyAudit } from "../../../server/audit";
import { seedDemo } from "../../../server/demo/seed";
import { applyRollout, startReconciler, trackRollout } from "../../../server/releases";
import { createSlipway } from "../../../server/composition";
import { call, sessionFor, tokenFor, type Caller } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";
import { RecordingBackend } from "../../fixtures/recording-backend";

const build = (version: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    version,
    image: `registry.harbourbank.example/card-api:${version}`,
    commitSha: "0123abcd".repeat(5),
    commitUrl: `https://git.example/card-api/commit/${version}`,
    author: "amara.okafor",
    changelog: `Changes in ${version}`,
    ...extra,
  });

describe("releases, production checkpoints and four-eyes", () => {
  const db = useTestDatabase();
  let backend: RecordingBackend;
  let ci: Caller;
  let amara: Caller; // engineer in cards: requests
  let tom: Caller; // approver for cards
  let daniel: Caller; // approver for cards and payments-core

  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
    backend = new RecordingBackend();
    createSlipway({ database: db.current(), releases: { backend, reconcile: false } });
    ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    amara = await sessionFor(db.current(), "amara.okafor");
    tom = await sessionFor(db.current(), "tom.hughes");
    daniel = await sessionFor(db.current(), "daniel.mensah");
  });

  const register = (version: string, extra?: Record<string, unknown>, service = "card-api") =>
    call(releasesRoute.POST, {
      method: "POST",
      path: `/api/v1/services/${service}/releases`,
      caller: ci,
      body: build(version, { image: `registry.harbourbank.example/${service}:${version}`, ...extra }),
      params: { name: service },
    });
  const request = (caller: Caller, version: string, service = "card-api") =>
    call(rolloutsRoute.POST, {
      method: "POST",
      path: "/api/v1/rollouts",
      caller,
      body: JSON.stringify({ service, environment: "production", version, reason: "weekly release" }),
    });
  const act = (caller: Caller, id: string, action: string, body: Record<string, unknown> = { comment: "looks good" }) =>
    call(rolloutAction.POST, { method: "POST", path: `/api/v1/rollouts/${id}/${action}`, caller, body: JSON.stringify(body), params: { id, action } });
  const settle = async () => {
    const r = startReconciler(db.current().prisma, backend, { intervalMs: 60_000 });
    await r.runOnce();
    await r.runOnce();
    await r.stop();
  };

  it("registers a release idempotently and refuses another image for the same version", async () => {
    const first = await register("1.4.0");
    expect(first.status).toBe(201);
    expect(first.body.autoRollouts).toHaveLength(1);
    expect((await register("1.4.0")).status).toBe(200);
    const clash = await register("1.4.0", { image: "registry.harbourbank.example/card-api:other" });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toMatch(/image never changes/);
    const invalid = await register("1.4.1", { commitSha: "not-a-sha", image: "UPPER/Case" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["commitSha", "image"]);
  });

  it("rolls a new release to staging by itself, and never to production without a checkpoint", async () => {
    await register("1.4.0");
    await settle();
    expect(backend.patches()).toEqual([expect.objectContaining({ ref: "staging/cards/card-api", image: "registry.harbourbank.example/card-api:1.4.0" })]);
    const staging = await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging" } });
    expect(staging.state).toBe("succeeded");
    expect(await db.current().prisma.rollout.count({ where: { environment: "production" } })).toBe(0);
  });

  it("lets nobody approve their own request, and needs two different people for a tier-1 service", async () => {
    await register("1.4.0", {}, "card-processing");
    await settle();
    const requested = await request(amara, "1.4.0", "card-processing");
    expect(requested.status).toBe(201);
    // card-processing is tier 1: the default policy asks two approvals in production.
    expect(requested.body).toMatchObject({ state: "awaiting_approval", requestedBy: "amara.okafor", approvalsRequired: 2, tier: 1 });
    const required = requested.body.approvalsRequired as number;
    const id = requested.body.id as string;

    // Even an approver may not approve their own request.
    const tomsOwn = await request(tom, "1.4.0", "card-processing");
    expect(tomsOwn.status).toBe(201); // supersedes amara's request
    const selfApproval = await act(tom, tomsOwn.body.id, "approve");
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.detail).toMatch(/Four-eyes/);
    expect((await act(tom, id, "approve")).status).toBe(409); // amara's request was superseded

    const again = await request(amara, "1.4.0", "card-processing");
    const approved = await act(tom, again.body.id, "approve", { comment: "staging green for a day" });
    expect(approved.status).toBe(200);
    if (required > 1) {
      expect(approved.body.state).toBe("awaiting_approval");
      expect((await act(tom, again.body.id, "approve")).body.detail).toMatch(/already approved/);
      const second = await act(daniel, again.body.id, "approve", { comment: "agreed" });
      expect(second.body.state).toBe("approved");
    }
    await settle();
    expect(backend.patches().filter((p) => p.ref.startsWith("production"))).toHaveLength(1);
    const final = await db.current().prisma.rollout.findUniqueOrThrow({ where: { id: again.body.id } });
    expect(final.state).toBe("succeeded");

    const audit = await listAuditEvents({ limit: 100, target: again.body.id }, db.current().prisma);
    expect(audit.items.map((e) => e.action).reverse()).toEqual(
      expect.arrayContaining(["rollout.request", "checkpoint.approve", "rollout.apply_started", "rollout.applied", "rollout.succeeded"]),
    );
    // The service's own trail (its page links to it) holds its releases and every rollout event, no one else's.
    const trail = await listAuditEvents({ limit: 200, targetType: "service", target: "card-processing" }, db.current().prisma);
    expect(trail.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(["release.register", "rollout.request", "checkpoint.approve", "rollout.succeeded"]),
    );
    expect(trail.items.every((e) => e.targetId === "card-processing" || (e.details as { service?: string }).service === "card-processing")).toBe(true);
    expect((await verifyAudit(db.current().prisma)).ok).toBe(true);
  });

  it("requires a comment to approve or reject, and a rejection ends the rollout", async () => {
    await register("1.4.0");
    const requested = await request(amara, "1.4.0");
    const noComment = await act(tom, requested.body.id, "approve", {});
    expect(noComment.status).toBe(400);
    const rejected = await act(tom, requested.body.id, "reject", { comment: "not during the card scheme migration" });
    expect(rejected.body.state).toBe("rejected");
    await settle();
    expect(backend.patches().filter((p) => p.ref.startsWith("production"))).toHaveLength(0);
  });

  it("shows each approver the checkpoints they may decide, oldest first", async () => {
    await register("1.4.0");
    await request(amara, "1.4.0");
    const forTom = await call(checkpointsRoute.GET, { path: "/api/v1/checkpoints?mine=true", caller: tom });
    expect(forTom.body.count).toBe(1);
    const forAmara = await call(checkpointsRoute.GET, { path: "/api/v1/checkpoints?mine=true", caller: amara });
    expect(forAmara.body.count).toBe(0);
    const all = await call(checkpointsRoute.GET, { path: "/api/v1/checkpoints", caller: amara });
    expect(all.body.items[0].whyNot).toMatch(/Four-eyes/);
  });

  it("applies exactly once when dozens of approvals and replicas race", async () => {
    await register("1.4.0");
    await settle();
    const requested = await request(amara, "1.4.0");
    const id = requested.body.id as string;
    backend.patchDelayMs = 20;
    const approvers = ["tom.hughes", "daniel.mensah", "james.oconnor"];
    const sessions = await Promise.all(approvers.flatMap((p) => Array.from({ length: 8 }, () => sessionFor(db.current(), p))));
    const results = await Promise.all(sessions.map((s) => act(s, id, "approve", { comment: "go" })));
    expect(results.filter((r) => r.status === 200).length).toBe(requested.body.approvalsRequired);
    // Six "replicas" try to apply at once.
    await Promise.all(Array.from({ length: 6 }, () => applyRollout(db.current().prisma, backend, id)));
    await trackRollout(db.current().prisma, backend, id);
    expect(backend.patches().filter((p) => p.ref.startsWith("production"))).toHaveLength(1);
    expect(await db.current().prisma.rollout.count({ where: { environment: "production", state: "succeeded" } })).toBe(1);
    const approvals = await db.current().prisma.approval.findMany({ where: { checkpoint: { rolloutId: id } } });
    expect(new Set(approvals.map((a) => a.personId)).size).toBe(approvals.length);
  });

  it("stops an apply whose rollout was taken over between its claim and its patch", async () => {
    await register("1.4.0");
    await settle();
    const requested = await request(amara, "1.4.0");
    const id = requested.body.id as string;
    expect((await act(tom, id, "approve", { comment: "go" })).status).toBe(200);
    backend.observeDelayMs = 400; // the cluster is slow to answer
    const applying = applyRollout(db.current().prisma, backend, id);
    // Meanwhile the rollout is superseded (a newer rollout or a rollback took the environment over).
    for (let i = 0; i < 50 && (await db.current().prisma.rollout.findUniqueOrThrow({ where: { id } })).state !== "applying"; i++)
      await new Promise((r) => setTimeout(r, 20));
    await db.current().prisma.rollout.update({ where: { id }, data: { state: "superseded", finishedAt: new Date() } });
    expect(await applying).toBe("skipped");
    expect(backend.patches().filter((p) => p.ref.startsWith("production"))).toHaveLength(0);
    expect((await db.current().prisma.rollout.findUniqueOrThrow({ where: { id } })).state).toBe("superseded");
  });

  it("blocks requests, approvals and automatic rollouts during a freeze, but not rollbacks", async () => {
    const aisha = await sessionFor(db.current(), "aisha.bello");
    await register("1.4.0");
    await settle();
    await register("1.4.1");
    await settle();
    const requested = await request(amara, "1.4.0");
    const freeze = await call(freezesRoute.POST, {
      method: "POST",
      path: "/api/v1/freezes",
      caller: aisha,
      body: JSON.stringify({ reason: "Black Friday", endsAt: new Date(Date.now() + 3_600_000).toISOString() }),
    });
    expect(freeze.status).toBe(201);
    const blocked = await act(tom, requested.body.id, "approve");
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/frozen.*Black Friday/);
    // CI keeps registering, but the freeze holds the automatic staging rollout back.
    const held = await register("1.4.2");
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ autoRollouts: [], heldByFreeze: [expect.objectContaining({ environment: "staging", reason: "Black Friday" })] });
    const stagingPatches = backend.patches().filter((p) => p.ref.startsWith("staging")).length;
    await settle();
    expect(backend.patches().filter((p) => p.ref.startsWith("staging"))).toHaveLength(stagingPatches);
    expect((await request(amara, "1.4.2")).status).toBe(409);

    // A rollback of staging's last rollout (1.4.1 back to 1.4.0) is allowed during the freeze.
    const last = await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging", state: "succeeded" }, orderBy: { createdAt: "desc" } });
    const rollback = await act(amara, last.id, "rollback", { reason: "bad build" });
    expect(rollback.status).toBe(201);
    expect(rollback.body).toMatchObject({ kind: "rollback", state: "approved" });
    await settle();
    expect(backend.patches().at(-1)).toMatchObject({ ref: "staging/cards/card-api", image: "registry.harbourbank.example/card-api:1.4.0" });
  });

  it("leaves no way around a checkpoint: rollbacks only to what ran, freezes lifted by their author, full promotion by approvers", async () => {
    const aisha = await sessionFor(db.current(), "aisha.bello");
    await register("1.4.0");
    await settle();
    const staged = await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging", state: "succeeded" } });
    // 1.9.9 is registered but never ran in staging: "rolling back" to it would deploy it without a checkpoint.
    await register("1.9.9");
    const patches = backend.patches().length;
    const sneaky = await act(ci, staged.id, "rollback", { toVersion: "1.9.9" });
    expect(sneaky.status).toBe(409);
    expect(sneaky.body.detail).toMatch(/never ran in staging/);

    // An admin's lock on card-api: the squad's CI token cannot lift it, the admin can.
    const lock = await call(freezesRoute.POST, {
      method: "POST",
      path: "/api/v1/freezes",
      caller: aisha,
      body: JSON.stringify({ service: "card-api", reason: "incident 4711", endsAt: new Date(Date.now() + 3_600_000).toISOString() }),
    });
    expect(lock.status).toBe(201);
    const liftByCi = await call(freezeRoute.DELETE, { method: "DELETE", path: `/api/v1/freezes/${lock.body.id}`, caller: ci, params: { id: lock.body.id } });
    expect(liftByCi.status).toBe(403);
    const amaraPrincipal = (await findSessionPrincipal(db.current().prisma, (amara as { cookie: string }).cookie))!;
    // Moving a rollout forward is blocked by the freeze; stopping one is not.
    await expect(
      operateWorkload(db.current().prisma, backend, amaraPrincipal, systemContext("test"), { service: "card-api", environment: "staging", action: "resume" }),
    ).rejects.toThrow(/locked.*incident 4711/);
    await expect(
      operateWorkload(db.current().prisma, backend, amaraPrincipal, systemContext("test"), { service: "card-api", environment: "staging", action: "pause" }),
    ).resolves.toBeTruthy();
    const liftByAisha = await call(freezeRoute.DELETE, {
      method: "DELETE",
      path: `/api/v1/freezes/${lock.body.id}`,
      caller: aisha,
      params: { id: lock.body.id },
    });
    expect(liftByAisha.status).toBe(200);

    // Skipping a canary's remaining steps in production is an approver's decision.
    await expect(
      operateWorkload(db.current().prisma, backend, amaraPrincipal, systemContext("test"), {
        service: "card-api",
        environment: "production",
        action: "promote-full",
      }),
    ).rejects.toThrow(/approv/i);
    // An automatic rollout has no requesting person: a token cannot cancel it.
    const auto = await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging" }, orderBy: { createdAt: "desc" } });
    await db.current().prisma.rollout.update({ where: { id: auto.id }, data: { state: "approved" } });
    expect((await act(ci, auto.id, "cancel", {})).status).toBe(403);
    expect(backend.patches().length).toBe(patches);
  });

  it("fails a rollout whose new pods crash-loop, with the reason and events, and rolls back in one call", async () => {
    await register("1.4.0");
    await settle();
    await register("1.5.0");
    backend.outcome = "crashloop";
    await settle();
    const failed = await db.current().prisma.rollout.findFirstOrThrow({ where: { environment: "staging", release: { version: "1.5.0" } } });
    expect(failed.state).toBe("failed");
    expect(failed.failureReason).toMatch(/CrashLoopBackOff/);
    expect(JSON.stringify(failed.failureEvents)).toMatch(/Back-off restarting failed container/);

    backend.outcome = "complete";
    const rollback = await act(amara, failed.id, "rollback", {});
    expect(rollback.status).toBe(201);
    expect(rollback.body.release.version).toBe("1.4.0");
    await settle();
    expect(backend.patches().at(-1)).toMatchObject({ ref: "staging/cards/card-api", image: "registry.harbourbank.example/card-api:1.4.0" });
    const after = await db.current().prisma.rollout.findUniqueOrThrow({ where: { id: failed.id } });
    expect(after.state).toBe("rolled_back");
    expect((await db.current().prisma.rollout.findUniqueOrThrow({ where: { id: rollback.body.id } })).state).toBe("succeeded");
  });

  it("never lets a request need fewer approvals: tier changes need an admin, and a checkpoint keeps the highest bar since its request", async () => {
    const tierOf = (tier: number) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: card-processing
  annotations: { backstage.io/kubernetes-id: card-processing, backstage.io/kubernetes-namespace: cards, slipway.io/tier: "${tier}" }
spec: { type: service, lifecycle: production, owner: cards }
`;
    const lowered = await call(importRoute.POST, {
      method: "POST",
      path: "/api/v1/catalogue/import",
      caller: amara,
      body: tierOf(3),
      contentType: "application/yaml",
    });
    expect(lowered.status).toBe(403);
    expect(lowered.body.detail).toMatch(/tier 1 -> 3 of card-processing needs an admin/);
    expect((await db.current().prisma.service.findFirstOrThrow({ where: { name: "card-processing" } })).tier).toBe(1);
    const refusal = await db.current().prisma.auditEvent.findFirstOrThrow({ where: { action: "access.refused" } });
    expect(refusal).toMatchObject({ actorName: "amara.okafor", targetId: "service.change-policy" });

    await register("1.4.0", {}, "card-processing");
    await settle();
    const requested = await request(amara, "1.4.0", "card-processing");
    expect(requested.body.approvalsRequired).toBe(2);
    // An admin lowers the tier while the request waits: the bar it was requested under stays.
    const aisha = await sessionFor(db.current(), "aisha.bello");
    expect(
      (await call(importRoute.POST, { method: "POST", path: "/api/v1/catalogue/import", caller: aisha, body: tierOf(3), contentType: "application/yaml" }))
        .status,
    ).toBe(200);
    const once = await act(tom, requested.body.id, "approve");
    expect(once.body).toMatchObject({ state: "awaiting_approval", approvalsRequired: 2 });
    expect((await act(daniel, requested.body.id, "approve")).body.state).toBe("approved");

    // Raised while waiting: the higher bar applies at once.
    await register("1.4.0");
    await settle();
    const cardApi = await request(amara, "1.4.0");
    expect(cardApi.body.approvalsRequired).toBe(1);
    await db.current().prisma.service.update({ where: { kind_name: { kind: "component", name: "card-api" } }, data: { tier: 1 } });
    const first = await act(tom, cardApi.body.id, "approve");
    expect(first.body).toMatchObject({ state: "awaiting_approval", approvalsRequired: 2 });
  });

  it("puts every skipped canary checkpoint under four-eyes: the requester cannot promote fully, an approver can, and two-approval steps cannot be skipped", async () => {
    backend.kind = "Rollout";
    await register("1.4.0");
    await settle();
    // Daniel is an engineer of cards and one of its approvers: he may request, and approve others' requests.
    const requested = await request(daniel, "1.4.0");
    await act(tom, requested.body.id, "approve");
    backend.outcome = "progressing";
    await settle();
    expect((await db.current().prisma.rollout.findUniqueOrThrow({ where: { id: requested.body.id } })).state).toBe("progressing");
    const promote = (caller: Caller) =>
      call(operateRoute.POST, {
        method: "POST",
        path: "/api/v1/services/card-api/environments/production/promote-full",
        caller,
        body: JSON.stringify({ reason: "hotfix" }),
        params: { name: "card-api", environment: "production", action: "promote-full" },
      });
    const promotes = () => backend.calls.filter((c) => c.op === "promote").length;
    // An engineer who is no approver may not skip checkpoints; nor may the requester, approver though he is.
    expect((await promote(amara)).status).toBe(403);
    const byRequester = await promote(daniel);
    expect(byRequester.status).toBe(403);
    expect(byRequester.body.detail).toMatch(/you requested this rollout/);
    expect(promotes()).toBe(0);
    const byTom = await promote(tom);
    expect(byTom.status).toBe(200);
    expect(promotes()).toBe(1);
    const trail = await db.current().prisma.auditEvent.findMany({
      where: { action: { in: ["checkpoint.skip", "workload.promote-full.requested", "workload.promote-full"] } },
      orderBy: { seq: "asc" },
    });
    expect(trail.map((e) => e.action)).toEqual(["checkpoint.skip", "workload.promote-full.requested", "workload.promote-full"]);
    expect(trail[0]!.actorName).toBe("tom.hughes");

    // A tier-1 service's steps need two people: one cannot skip them alone.
    await db.current().prisma.rollout.update({ where: { id: requested.body.id }, data: { approvalsRequired: 2 } });
    const alone = await promote(tom);
    expect(alone.status).toBe(403);
    expect(alone.body.detail).toMatch(/needs 2 approvals/);
    expect(promotes()).toBe(1);
  });

  it("retries an apply while a cluster does not answer, saying which, and fails it with that reason once the retry window is over", async () => {
    backend.unreachable.add("staging");
    const registered = await register("1.4.0");
    const id = registered.body.autoRollouts[0] as string;
    expect(await applyRollout(db.current().prisma, backend, id)).toBe("retrying");
    const waiting = await db.current().prisma.rollout.findUniqueOrThrow({ where: { id } });
    expect(waiting.state).toBe("applying");
    // The claim lapses after a backoff, so the next pass (of any replica) tries again; nothing was patched meanwhile.
    expect(waiting.claimedAt!.getTime()).toBeLessThan(Date.now());
    expect(backend.patches()).toHaveLength(0);
    backend.unreachable.delete("staging");
    await db.current().prisma.rollout.update({ where: { id }, data: { claimedAt: new Date(0) } });
    expect(await applyRollout(db.current().prisma, backend, id)).toBe("applied");
    expect(backend.patches()).toHaveLength(1);

    backend.unreachable.add("staging");
    const second = (await register("1.4.1")).body.autoRollouts[0] as string;
    // Approved long ago: the retry window is over, so the rollout fails and says which cluster held it up.
    await db.current().prisma.rollout.update({ where: { id: second }, data: { approvedAt: new Date(Date.now() - 3_600_000) } });
    expect(await applyRollout(db.current().prisma, backend, second)).toBe("failed");
    const failed = await db.current().prisma.rollout.findUniqueOrThrow({ where: { id: second } });
    expect(failed.state).toBe("failed");
    expect(failed.failureReason).toMatch(/cluster staging: connect ECONNREFUSED/);
  });
});
