import "server-only";
import type { Audit } from "../audit";
import type { Prisma } from "../shared/generated/prisma/client";
import type { DbTx } from "../shared/db";
import { AppError } from "../shared/errors";
import { notifyRolloutMove } from "./notify-event";
import type { RolloutState } from "./types";

/**
 * The one way a rollout changes state. Every move is checked against this table, guarded in Postgres (the row must
 * still be in a state the move starts from, so of two replicas only one moves it) and audited in the same
 * transaction. A rollout is never updated to another state anywhere else.
 */
export const rolloutTransitions: Readonly<Record<RolloutState, readonly RolloutState[]>> = {
  requested: ["awaiting_approval", "approved", "cancelled", "superseded"],
  awaiting_approval: ["approved", "rejected", "cancelled", "expired", "superseded"],
  approved: ["applying", "cancelled", "superseded"],
  // applying -> applying: a replica takes over an apply whose claim went stale.
  applying: ["applying", "progressing", "failed", "superseded"],
  progressing: ["succeeded", "failed", "superseded", "rolled_back"],
  succeeded: ["rolled_back"],
  failed: ["rolled_back"],
  rejected: [],
  cancelled: [],
  expired: [],
  superseded: [],
  rolled_back: [],
};

/** What each move is called in the audit trail. */
const auditAction: Record<RolloutState, string> = {
  requested: "rollout.requested",
  awaiting_approval: "rollout.awaiting_approval",
  approved: "rollout.approved",
  applying: "rollout.apply_started",
  progressing: "rollout.applied",
  succeeded: "rollout.succeeded",
  failed: "rollout.failed",
  rejected: "rollout.rejected",
  cancelled: "rollout.cancel",
  expired: "rollout.expired",
  superseded: "rollout.superseded",
  rolled_back: "rollout.rollback",
};

export class IllegalTransitionError extends AppError {
  constructor(from: RolloutState, to: RolloutState) {
    super(409, "Conflict", `A ${from.replace(/_/g, " ")} rollout cannot become ${to.replace(/_/g, " ")}.`, { code: "illegal_transition", from, to });
  }
}

export function canMove(from: RolloutState, to: RolloutState): boolean {
  return rolloutTransitions[from].includes(to);
}

export function sourcesOf(to: RolloutState): RolloutState[] {
  return (Object.keys(rolloutTransitions) as RolloutState[]).filter((from) => canMove(from, to));
}

export type Move = {
  id: string;
  to: RolloutState;
  /** The states the caller expects it in; each must be allowed to move to `to` (else IllegalTransitionError). */
  from: RolloutState[];
  /** Columns set with the move (finishedAt, failureReason, ...). */
  data?: Prisma.RolloutUpdateManyMutationInput;
  /** Overrides the audit action (e.g. `rollout.apply_resumed`). */
  action?: string;
  /** What the audit event says besides before/after: service, environment, version, reason, ... */
  details?: Record<string, unknown>;
};

/**
 * Moves a rollout and records it: false (and no event) when it was no longer in any of `from` because someone else
 * moved it first; then the caller has nothing to do.
 */
export async function moveRollout(tx: DbTx, audit: Audit, move: Move): Promise<boolean> {
  for (const from of move.from) if (!canMove(from, move.to)) throw new IllegalTransitionError(from, move.to);
  const current = await tx.rollout.findUnique({ where: { id: move.id }, select: { state: true } });
  if (!current || !move.from.includes(current.state as RolloutState)) return false;
  const moved = await tx.rollout.updateMany({
    where: { id: move.id, state: current.state },
    data: { ...move.data, state: move.to },
  });
  if (moved.count !== 1) return false;
  await audit({
    action: move.action ?? auditAction[move.to],
    targetType: "rollout",
    targetId: move.id,
    details: { ...move.details, before: { state: current.state }, after: { state: move.to } },
  });
  await notifyRolloutMove(tx, move.id, current.state as RolloutState, move.to, move.details);
  return true;
}

/**
 * Open checkpoints of rollouts that ended have nothing left to decide: each is closed, and its closing is recorded
 * (it answers "why did my approval request vanish?").
 */
export async function closeOpenCheckpoints(tx: DbTx, audit: Audit, rollouts: Prisma.RolloutWhereInput, why: string): Promise<number> {
  const open = await tx.checkpoint.findMany({
    where: { state: "awaiting_approval", rollout: rollouts },
    select: { id: true, kind: true, stepIndex: true, rolloutId: true },
  });
  for (const checkpoint of open) {
    const closed = await tx.checkpoint.updateMany({
      where: { id: checkpoint.id, state: "awaiting_approval" },
      data: { state: "cancelled", decidedAt: new Date() },
    });
    if (closed.count !== 1) continue;
    await audit({
      action: "checkpoint.closed",
      targetType: "rollout",
      targetId: checkpoint.rolloutId,
      details: {
        checkpoint: checkpoint.kind,
        step: checkpoint.stepIndex,
        reason: why,
        before: { checkpoint: "awaiting_approval" },
        after: { checkpoint: "cancelled" },
      },
    });
  }
  return open.length;
}
