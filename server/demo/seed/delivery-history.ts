import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { HistoricalAuditEvent, RequestContext } from "../../audit";
import { systemContext } from "../../identity";
import type { Db } from "../../shared/db";

/**
 * How each demo squad ships, so their delivery figures differ the way real squads' do: Cards deploys several times a
 * day and restores in minutes; Notifications deploys a few times a month, fails often and takes days to recover.
 * Per service: days between production deploys, the share that fail, lead time (commit to production) and time to
 * restore, in hours, as [shortest, longest].
 */
type Profile = { everyDays: number; failureRate: number; leadHours: [number, number]; restoreHours: [number, number] };

const profiles: Record<string, Profile> = {
  cards: { everyDays: 5, failureRate: 0.04, leadHours: [2, 10], restoreHours: [0.25, 0.8] },
  platform: { everyDays: 10, failureRate: 0.08, leadHours: [6, 30], restoreHours: [0.5, 4] },
  "payments-core": { everyDays: 10, failureRate: 0.12, leadHours: [24, 96], restoreHours: [2, 12] },
  identity: { everyDays: 45, failureRate: 0.1, leadHours: [48, 144], restoreHours: [1, 6] },
  accounts: { everyDays: 40, failureRate: 0.2, leadHours: [72, 288], restoreHours: [6, 72] },
  notifications: { everyDays: 80, failureRate: 0.35, leadHours: [192, 600], restoreHours: [24, 216] },
};
const fallback: Profile = { everyDays: 14, failureRate: 0.1, leadHours: [24, 120], restoreHours: [2, 24] };

/** mulberry32: the same history for the same service on every seed. */
function random(seed: string) {
  let a = createHash("sha256").update(`delivery:${seed}`).digest().readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hourMs = 3_600_000;
type RowOf<T> = T extends Array<infer U> ? U : T;
type ReleaseData = RowOf<NonNullable<Parameters<Db["release"]["createMany"]>[0]>["data"]>;
type RolloutData = RowOf<NonNullable<Parameters<Db["rollout"]["createMany"]>[0]>["data"]>;
type CheckpointData = RowOf<NonNullable<Parameters<Db["checkpoint"]["createMany"]>[0]>["data"]>;
type ApprovalData = RowOf<NonNullable<Parameters<Db["approval"]["createMany"]>[0]>["data"]>;
const sha = (text: string) => createHash("sha1").update(text).digest("hex");
const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

export type HistoryInput = {
  service: { id: string; name: string };
  team: string;
  people: Array<{ id: string; name: string }>;
  /** Who may approve this squad's production deploys, squad approvers first. */
  approvers: Array<{ id: string; name: string }>;
  required: number;
  /** major.minor of the release production runs now: older releases are major.(minor-1).n. */
  major: number;
  prodMinor: number;
  /** The history ends before this (when the release production runs now was registered). */
  until: Date;
  seededAt: number;
  registry: string;
};

/**
 * Ninety days of production deploys before the one production runs now, each through an approved checkpoint, with
 * the failures a squad of that kind has: half fail outright (the next deploy, a fix, restores production), half are
 * rolled back while rolling out (the rollback restores it). Rows and the audit events they would have left; returns the last release that ran well, which
 * the current production rollout replaced.
 */
export async function seedProductionHistory(db: Db, input: HistoryInput): Promise<{ events: HistoricalAuditEvent[]; lastGood: string | null }> {
  const { service, people } = input;
  const profile = profiles[input.team] ?? fallback;
  const next = random(service.name);
  const between = (range: [number, number]) => (range[0] + next() * (range[1] - range[0])) * hourMs;
  const start = input.seededAt - 90 * 24 * hourMs;
  const controller = systemContext("rollout-controller");
  const ci = systemContext(`ci (${input.team || service.name})`);
  const person = (p: { id: string; name: string }): RequestContext => ({
    actor: { type: "person", id: p.id, name: p.name },
    requestId: randomUUID(),
    sourceIp: undefined,
  });
  const events: HistoricalAuditEvent[] = [];
  const releases: ReleaseData[] = [];
  const rollouts: Array<RolloutData & { id: string }> = [];
  const checkpoints: CheckpointData[] = [];
  const approvals: ApprovalData[] = [];
  let lastGood: { id: string; version: string } | null = null;
  // Four eyes: whoever asks leaves enough approvers to decide (a squad's only approver never asks).
  const requesters = people.filter((p) => input.approvers.filter((a) => a.name !== p.name).length >= input.required);

  let at = start + next() * profile.everyDays * 24 * hourMs;
  const phase = next();
  for (let n = 0; ; n++) {
    const finished = new Date(at);
    // Leave a day before the current production release for its own registration and checkpoint.
    if (finished.getTime() > input.until.getTime() - 24 * hourMs) break;
    const version = `${input.major}.${Math.max(0, input.prodMinor - 1)}.${n}`;
    const lead = between(profile.leadHours);
    const committedAt = new Date(finished.getTime() - lead);
    const registeredAt = new Date(committedAt.getTime() + 0.1 * lead);
    const requestedAt = new Date(registeredAt.getTime() + 0.4 * lead);
    const startedAt = new Date(finished.getTime() - 150_000);
    const releaseId = randomUUID();
    releases.push({
      id: releaseId,
      serviceId: service.id,
      version,
      image: `${input.registry}/${service.name}:${version}`,
      commitSha: sha(`${service.name}@${version}`),
      committedAt,
      commitUrl: `https://github.com/harbour-bank/${service.name}/commit/${sha(`${service.name}@${version}`)}`,
      author: people[n % Math.max(1, people.length)]?.name ?? "release-bot",
      changelog: `Changes towards ${version}.`,
      registeredBy: `ci (${input.team || service.name})`,
      createdAt: registeredAt,
    });
    events.push({
      occurredAt: registeredAt,
      context: ci,
      action: "release.register",
      targetType: "service",
      targetId: service.name,
      details: { after: { version, image: `${input.registry}/${service.name}:${version}`, commitSha: sha(`${service.name}@${version}`) } },
    });

    // Failures at the squad's rate, spread out (a random start, then every 1/rate deploys), alternating the two kinds.
    const failuresSoFar = Math.floor(n * profile.failureRate + phase);
    const fails = Math.floor((n + 1) * profile.failureRate + phase) > failuresSoFar;
    const outcome = !fails ? "succeeded" : (failuresSoFar + Math.round(phase)) % 2 === 0 ? "failed" : "rolled_back";
    const requester = requesters[n % Math.max(1, requesters.length)] ?? people[0];
    const chosen = input.approvers.filter((a) => a.name !== requester?.name).slice(0, input.required);
    const id = randomUUID();
    const what = { service: service.name, environment: "production", version };
    rollouts.push({
      id,
      serviceId: service.id,
      environment: "production",
      releaseId,
      previousReleaseId: lastGood?.id ?? null,
      state: outcome,
      requestedById: requester?.id ?? null,
      requestedByName: requester?.name ?? "release-bot",
      reason: "Scheduled release",
      approvalsRequired: input.required,
      createdAt: requestedAt,
      approvedAt: startedAt,
      startedAt,
      finishedAt: finished,
    });
    const checkpointId = randomUUID();
    checkpoints.push({
      id: checkpointId,
      rolloutId: id,
      kind: "deploy",
      state: "approved",
      approvalsRequired: input.required,
      createdAt: requestedAt,
      decidedAt: startedAt,
      appliedAt: startedAt,
    });
    events.push({
      occurredAt: requestedAt,
      context: requester ? person(requester) : systemContext("release-bot"),
      action: "rollout.request",
      targetType: "rollout",
      targetId: id,
      details: { ...what, from: lastGood?.version ?? null, state: "awaiting_approval", approvalsRequired: input.required, reason: "Scheduled release" },
    });
    for (const [i, approver] of chosen.entries()) {
      const approvedAt = i === chosen.length - 1 ? startedAt : later(startedAt, -600);
      approvals.push({ checkpointId, personId: approver.id, personName: approver.name, decision: "approve", comment: "Staging green.", createdAt: approvedAt });
      const open = i === chosen.length - 1;
      events.push({
        occurredAt: approvedAt,
        context: person(approver),
        action: "checkpoint.approve",
        targetType: "rollout",
        targetId: id,
        details: {
          ...what,
          checkpoint: "deploy",
          step: null,
          comment: "Staging green.",
          approvals: i + 1,
          approvalsRequired: input.required,
          before: { state: "awaiting_approval" },
          after: { state: open ? "approved" : "awaiting_approval", checkpoint: open ? "approved" : "awaiting_approval" },
        },
      });
    }
    events.push(
      {
        occurredAt: later(startedAt, 1),
        context: controller,
        action: "rollout.apply_started",
        targetType: "rollout",
        targetId: id,
        details: { ...what, before: { state: "approved" }, after: { state: "applying" } },
      },
      {
        occurredAt: later(startedAt, 2),
        context: controller,
        action: "rollout.applied",
        targetType: "rollout",
        targetId: id,
        details: { ...what, actingAs: "slipway", before: { state: "applying" }, after: { state: "progressing" } },
      },
    );
    if (outcome === "succeeded") {
      events.push({
        occurredAt: finished,
        context: controller,
        action: "rollout.succeeded",
        targetType: "rollout",
        targetId: id,
        details: { ...what, before: { state: "progressing" }, after: { state: "succeeded" } },
      });
      lastGood = { id: releaseId, version };
    } else if (outcome === "failed" || !lastGood) {
      // New pods never became ready; production kept the old ones until the squad shipped a fix (the next deploy,
      // sooner than usual), which is what restored it.
      events.push({
        occurredAt: finished,
        context: controller,
        action: "rollout.failed",
        targetType: "rollout",
        targetId: id,
        details: { ...what, before: { state: "progressing" }, after: { state: "failed" } },
      });
      const failed = rollouts.find((r) => r.id === id)!;
      failed.state = "failed";
      failed.failureReason = "New pods cannot start: the readiness probe failed for 5 minutes";
      at = finished.getTime() + between(profile.restoreHours);
      continue;
    } else {
      // Error ratio up during the canary: the squad rolls back to what ran before, restored once the rollback succeeds.
      // Restored before the release production runs now was even registered: that one stays the last success.
      const restoredAt = new Date(Math.min(finished.getTime() + between(profile.restoreHours), input.until.getTime() - 12 * hourMs));
      const rollbackId = randomUUID();
      const rollbackStart = new Date(restoredAt.getTime() - 90_000);
      const by = requester ?? people[0];
      const actor = by ? person(by) : systemContext("release-bot");
      rollouts.push({
        id: rollbackId,
        serviceId: service.id,
        environment: "production",
        releaseId: lastGood.id,
        previousReleaseId: releaseId,
        kind: "rollback",
        state: "succeeded",
        requestedById: by?.id ?? null,
        requestedByName: by?.name ?? "release-bot",
        reason: `Roll back ${version}`,
        createdAt: rollbackStart,
        approvedAt: rollbackStart,
        startedAt: rollbackStart,
        finishedAt: restoredAt,
      });
      // Rolled back while rolling out: it ends when the rollback is asked for.
      Object.assign(
        rollouts.find((r) => r.id === id)!,
        { rolledBackById: rollbackId, finishedAt: rollbackStart },
      );
      const back = { service: service.name, environment: "production", version: lastGood.version };
      events.push(
        {
          occurredAt: rollbackStart,
          context: actor,
          action: "rollout.rolled_back",
          targetType: "rollout",
          targetId: id,
          details: { ...what, from: version, to: lastGood.version, reason: null, before: { state: "progressing" }, after: { state: "rolled_back" } },
        },
        {
          occurredAt: rollbackStart,
          context: actor,
          action: "rollout.request",
          targetType: "rollout",
          targetId: rollbackId,
          details: { ...back, kind: "rollback", from: version, rolledBack: id, state: "approved", reason: `Roll back ${version}` },
        },
        {
          occurredAt: later(rollbackStart, 1),
          context: controller,
          action: "rollout.apply_started",
          targetType: "rollout",
          targetId: rollbackId,
          details: { ...back, before: { state: "approved" }, after: { state: "applying" } },
        },
        {
          occurredAt: later(rollbackStart, 2),
          context: controller,
          action: "rollout.applied",
          targetType: "rollout",
          targetId: rollbackId,
          details: { ...back, actingAs: "slipway", before: { state: "applying" }, after: { state: "progressing" } },
        },
        {
          occurredAt: restoredAt,
          context: controller,
          action: "rollout.succeeded",
          targetType: "rollout",
          targetId: rollbackId,
          details: { ...back, before: { state: "progressing" }, after: { state: "succeeded" } },
        },
      );
      at = restoredAt.getTime();
    }
    at += profile.everyDays * 24 * hourMs * (0.4 + 1.2 * next());
  }
  if (releases.length) {
    await db.release.createMany({ data: releases });
    await db.rollout.createMany({ data: rollouts });
    await db.checkpoint.createMany({ data: checkpoints });
    await db.approval.createMany({ data: approvals });
  }
  return { events, lastGood: lastGood?.id ?? null };
}
