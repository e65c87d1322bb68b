import "server-only";
import type { Prisma } from "../shared/generated/prisma/client";
import type { DbTx } from "../shared/db";
import type { CheckpointView, ReleaseView, RolloutState, RolloutView } from "./types";

export const rolloutInclude = {
  service: { select: { name: true, tier: true, annotations: true, team: { select: { name: true } } } },
  release: true,
  checkpoints: { include: { approvals: { orderBy: { createdAt: "asc" } } }, orderBy: { createdAt: "asc" } },
  targets: { orderBy: [{ cluster: "asc" }, { workloadName: "asc" }] },
} satisfies Prisma.RolloutInclude;

export type RolloutRow = Prisma.RolloutGetPayload<{ include: typeof rolloutInclude }>;
type ReleaseRow = Prisma.ReleaseGetPayload<object>;

export function toReleaseView(r: ReleaseRow, service: string): ReleaseView {
  return {
    id: r.id,
    service,
    version: r.version,
    image: r.image,
    digest: r.digest,
    commitSha: r.commitSha,
    committedAt: r.committedAt?.toISOString() ?? null,
    commitUrl: r.commitUrl,
    buildUrl: r.buildUrl,
    author: r.author,
    changelog: r.changelog,
    registeredBy: r.registeredBy,
    createdAt: r.createdAt.toISOString(),
  };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

function healthOf(value: unknown): RolloutView["health"] {
  const h = value as { verdict?: unknown; summary?: unknown } | null;
  if (!h || typeof h.summary !== "string" || !["healthy", "degraded", "unknown"].includes(String(h.verdict))) return null;
  return { verdict: h.verdict as "healthy" | "degraded" | "unknown", summary: h.summary };
}

export function toRolloutView(row: RolloutRow, previous: ReleaseRow | null): RolloutView {
  return {
    id: row.id,
    service: row.service.name,
    team: row.service.team?.name ?? null,
    tier: row.service.tier,
    environment: row.environment,
    kind: row.kind === "rollback" ? "rollback" : "deploy",
    state: row.state as RolloutState,
    release: toReleaseView(row.release, row.service.name),
    previousRelease: previous ? toReleaseView(previous, row.service.name) : null,
    requestedBy: row.requestedByName,
    reason: row.reason,
    approvalsRequired: row.approvalsRequired,
    failureReason: row.failureReason,
    failureEvents: Array.isArray(row.failureEvents) ? (row.failureEvents as RolloutView["failureEvents"]) : [],
    checkpoints: row.checkpoints.map((c): CheckpointView => ({
      id: c.id,
      kind: c.kind === "promote" ? "promote" : "deploy",
      stepIndex: c.stepIndex,
      state: c.state as CheckpointView["state"],
      approvalsRequired: c.approvalsRequired,
      approvals: c.approvals.map((a) => ({
        person: a.personName,
        decision: a.decision as "approve" | "reject",
        comment: a.comment,
        at: a.createdAt.toISOString(),
      })),
      createdAt: c.createdAt.toISOString(),
      decidedAt: iso(c.decidedAt),
      appliedAt: iso(c.appliedAt),
    })),
    targets: row.targets.map((t) => ({
      cluster: t.cluster,
      namespace: t.namespace,
      workloadKind: t.workloadKind,
      workloadName: t.workloadName,
      container: t.container,
      revisionBefore: t.revisionBefore,
      revisionAfter: t.revisionAfter,
      status: t.status,
      message: t.message,
    })),
    createdAt: row.createdAt.toISOString(),
    approvedAt: iso(row.approvedAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    expiresAt: iso(row.expiresAt),
    health: healthOf(row.health),
  };
}

export async function loadRolloutView(db: DbTx, id: string): Promise<RolloutView | null> {
  const row = await db.rollout.findUnique({ where: { id }, include: rolloutInclude });
  if (!row) return null;
  const previous = row.previousReleaseId ? await db.release.findUnique({ where: { id: row.previousReleaseId } }) : null;
  return toRolloutView(row, previous);
}

/** Locks a rollout row for the rest of the transaction: concurrent decisions on it queue up here. */
export async function lockRollout(tx: DbTx, id: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM rollout WHERE id = ${id}::uuid FOR UPDATE`;
}

/** The release an environment runs now: the last rollout there that finished well and was not rolled back. */
export async function currentRelease(db: DbTx, serviceId: string, environment: string) {
  const last = await db.rollout.findFirst({
    where: { serviceId, environment, state: "succeeded" },
    orderBy: { finishedAt: "desc" },
    include: { release: true },
  });
  return last?.release ?? null;
}
