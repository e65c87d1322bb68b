import "server-only";
import { recordNotification, type NotificationKind } from "../notifications";
import type { DbTx } from "../shared/db";
import { eligibleApprovers } from "./approvers";
import { environmentPolicies } from "./environments";
import type { RolloutState } from "./types";

/** The rollout moves people hear about; the rest (requested, superseded, cancelled...) are the portal's business. */
const kindOfMove: Partial<Record<RolloutState, NotificationKind>> = {
  applying: "rollout.started",
  succeeded: "rollout.succeeded",
  failed: "rollout.failed",
  rolled_back: "rollout.rolled_back",
  expired: "checkpoint.expired",
};

/** Called by moveRollout after every move, in its transaction: an outbox row for the moves that notify. */
export async function notifyRolloutMove(
  tx: DbTx,
  rolloutId: string,
  from: RolloutState,
  to: RolloutState,
  details: Record<string, unknown> = {},
): Promise<void> {
  const kind = kindOfMove[to];
  // applying -> applying is a replica taking over an apply, not a new start.
  if (!kind || (to === "applying" && from === "applying")) return;
  await notifyRollout(tx, kind, rolloutId, { reason: typeof details.reason === "string" ? details.reason : null });
}

/**
 * Records a checkpoint or rollout event with a snapshot of what a message needs (service, versions, requester,
 * evidence, who may approve), read in the transaction of the change, so the outbox row commits with it or not at all.
 */
export async function notifyRollout(
  tx: DbTx,
  kind: NotificationKind,
  rolloutId: string,
  extra: { actor?: string | null; comment?: string | null; reason?: string | null } = {},
): Promise<void> {
  const rollout = await tx.rollout.findUnique({
    where: { id: rolloutId },
    select: {
      environment: true,
      requestedByName: true,
      requestedById: true,
      reason: true,
      failureReason: true,
      previousReleaseId: true,
      releaseId: true,
      kind: true,
      service: { select: { id: true, name: true, team: { select: { name: true, chatChannel: true } } } },
      release: { select: { version: true, commitSha: true, commitUrl: true, createdAt: true } },
      checkpoints: {
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { kind: true, stepIndex: true, approvalsRequired: true, approvals: { where: { decision: "approve" }, select: { id: true } } },
      },
    },
  });
  if (!rollout) return;
  const previous = rollout.previousReleaseId
    ? await tx.release.findUnique({ where: { id: rollout.previousReleaseId }, select: { version: true, createdAt: true } })
    : null;
  const requester = rollout.requestedById ? await tx.person.findUnique({ where: { id: rollout.requestedById }, select: { displayName: true } }) : null;
  const checkpoint = rollout.checkpoints[0];
  const approvers = kind === "checkpoint.awaiting_approval" ? await eligibleApprovers(tx, rolloutId) : [];
  const emails = approvers.length
    ? new Map(
        (await tx.person.findMany({ where: { name: { in: approvers.map((a) => a.name) } }, select: { name: true, email: true } })).map((p) => [
          p.name,
          p.email,
        ]),
      )
    : new Map<string, string | null>();
  await recordNotification(tx, {
    kind,
    occurredAt: new Date().toISOString(),
    rolloutId,
    service: rollout.service.name,
    team: rollout.service.team?.name ?? null,
    teamChannel: rollout.service.team?.chatChannel ?? null,
    environment: rollout.environment,
    version: rollout.release.version,
    previousVersion: previous?.version ?? null,
    requestedBy: requester?.displayName ?? rollout.requestedByName,
    reason: extra.reason ?? rollout.reason,
    actor: extra.actor ?? null,
    comment: extra.comment ?? null,
    failureReason: kind === "rollout.failed" ? rollout.failureReason : null,
    evidence: kind.startsWith("checkpoint.") ? await evidenceLine(tx, rollout, previous) : null,
    commitUrl: rollout.release.commitUrl,
    checkpoint: checkpoint
      ? { kind: checkpoint.kind, step: checkpoint.stepIndex, approvals: checkpoint.approvals.length, approvalsRequired: checkpoint.approvalsRequired }
      : null,
    approvers: approvers.map((a) => ({ name: a.name, displayName: a.displayName, email: emails.get(a.name) ?? null })),
  });
}

/** "3 releases since 2.4.0 (commit 0123abc); staging: succeeded": the checkpoint page's evidence in one line. */
async function evidenceLine(
  tx: DbTx,
  rollout: { service: { id: string }; releaseId: string; environment: string; release: { commitSha: string; createdAt: Date } },
  previous: { version: string; createdAt: Date } | null,
): Promise<string> {
  const changes = await tx.release.count({
    where: { serviceId: rollout.service.id, createdAt: { lte: rollout.release.createdAt, ...(previous ? { gt: previous.createdAt } : {}) } },
  });
  const parts = [
    `${changes} release${changes === 1 ? "" : "s"}${previous ? ` since ${previous.version}` : ""} (commit ${rollout.release.commitSha.slice(0, 7)})`,
  ];
  const order = environmentPolicies().map((e) => e.name);
  for (const environment of order.slice(0, Math.max(0, order.indexOf(rollout.environment)))) {
    const last = await tx.rollout.findFirst({ where: { releaseId: rollout.releaseId, environment }, orderBy: { createdAt: "desc" }, select: { state: true } });
    parts.push(`${environment}: ${last ? last.state.replace(/_/g, " ") : "not deployed"}`);
  }
  return parts.join("; ");
}

/** A freeze set or lifted, in the transaction that did it. */
export async function notifyFreeze(
  tx: DbTx,
  kind: "freeze.started" | "freeze.lifted",
  freeze: { id: string; reason: string; endsAt: Date; environment: string | null; service: { name: string } | null },
  actor: string,
): Promise<void> {
  const service = freeze.service
    ? await tx.service.findFirst({ where: { name: freeze.service.name }, select: { name: true, team: { select: { name: true, chatChannel: true } } } })
    : null;
  const scope = `${service ? service.name : "every service"} in ${freeze.environment ?? "every environment"}`;
  await recordNotification(tx, {
    kind,
    occurredAt: new Date().toISOString(),
    service: service?.name ?? null,
    team: service?.team?.name ?? null,
    teamChannel: service?.team?.chatChannel ?? null,
    environment: freeze.environment,
    actor,
    freeze: { id: freeze.id, reason: freeze.reason, endsAt: freeze.endsAt.toISOString(), scope },
  });
}
