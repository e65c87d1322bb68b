import "server-only";
import type { Metrics } from "../metrics";
import { healthSince } from "./measure-health";
import type { Prisma } from "../shared/generated/prisma/client";
import { decide, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { NotFoundError } from "../shared/errors";
import { safeDateTime, safeText } from "../shared/input";
import { environmentPolicies } from "./environments";
import { currentRelease, loadRolloutView, rolloutInclude, toReleaseView, toRolloutView } from "./rollout-repository";
import { rolloutStates, type ReleaseView, type RolloutState, type RolloutView } from "./types";
import { z } from "zod";

export const rolloutQuerySchema = z.object({
  service: safeText(63).optional(),
  environment: safeText(63).optional(),
  state: z
    .union([z.enum(rolloutStates), z.array(z.enum(rolloutStates))])
    .optional()
    .transform((s) => (s === undefined ? [] : Array.isArray(s) ? s : [s])),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  // Both halves reach SQL (a timestamp and a uuid), so both must parse, not merely look right.
  cursor: z
    .string()
    .max(100)
    .refine((c) => {
      const [at = "", id = "", ...rest] = c.split("|");
      return !rest.length && safeDateTime().safeParse(at).success && z.uuid().safeParse(id).success;
    }, "pass back nextCursor unchanged")
    .optional(),
});
export type RolloutQuery = z.infer<typeof rolloutQuerySchema>;

async function withPrevious(db: Db, rows: Array<Prisma.RolloutGetPayload<{ include: typeof rolloutInclude }>>): Promise<RolloutView[]> {
  const ids = [...new Set(rows.map((r) => r.previousReleaseId).filter((x): x is string => !!x))];
  const previous = new Map((ids.length ? await db.release.findMany({ where: { id: { in: ids } } }) : []).map((r) => [r.id, r]));
  return rows.map((r) => toRolloutView(r, r.previousReleaseId ? (previous.get(r.previousReleaseId) ?? null) : null));
}

export async function listRollouts(db: Db, query: RolloutQuery): Promise<{ items: RolloutView[]; nextCursor: string | null }> {
  const [cursorAt, cursorId] = query.cursor ? query.cursor.split("|") : [];
  const rows = await db.rollout.findMany({
    where: {
      ...(query.service ? { service: { kind: "component", name: query.service } } : {}),
      ...(query.environment ? { environment: query.environment } : {}),
      ...(query.state.length ? { state: { in: query.state } } : {}),
      ...(cursorAt ? { OR: [{ createdAt: { lt: new Date(cursorAt) } }, { createdAt: new Date(cursorAt), id: { lt: cursorId! } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    include: rolloutInclude,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: await withPrevious(db, page), nextCursor: rows.length > query.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null };
}

export async function getRollout(db: Db, id: string): Promise<RolloutView> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("There is no such rollout.");
  const view = await loadRolloutView(db, id);
  if (!view) throw new NotFoundError("There is no such rollout.");
  return view;
}

export type InboxItem = RolloutView & { canDecide: boolean; whyNot: string | null };

/** Checkpoints waiting for a decision, oldest first, each saying whether this person may decide it and why not. */
export async function checkpointInbox(db: Db, principal: Principal | null, options: { onlyMine?: boolean } = {}): Promise<InboxItem[]> {
  const rows = await db.rollout.findMany({
    where: { checkpoints: { some: { state: "awaiting_approval" } }, state: { in: ["awaiting_approval", "progressing"] } },
    orderBy: { createdAt: "asc" },
    take: 500,
    include: rolloutInclude,
  });
  const views = await withPrevious(db, rows);
  const items = views.map((v, i) => {
    const row = rows[i]!;
    const checkpoint = row.checkpoints.find((c) => c.state === "awaiting_approval")!;
    const decision = decide(principal, {
      action: "checkpoint.approve",
      team: v.team,
      tier: v.tier,
      requestedBy: row.requestedById,
      approvedBy: checkpoint.approvals.map((a) => a.personId),
    });
    return { ...v, canDecide: decision.allowed, whyNot: decision.allowed ? null : decision.reason };
  });
  return options.onlyMine ? items.filter((i) => i.canDecide) : items;
}

export type Evidence = {
  proposed: ReleaseView;
  running: ReleaseView | null;
  /** Releases between what runs and what is proposed, newest first: the commits this rollout brings. */
  changes: ReleaseView[];
  /**
   * How the same release did in the environments before this one; `health` compares its metrics before it rolled
   * out there with since (error ratio, p95, restarts), where a metrics source is configured.
   */
  earlier: Array<{
    environment: string;
    state: RolloutState;
    since: string | null;
    failureReason: string | null;
    health: { verdict: string; summary: string } | null;
  }>;
  requestedBy: string;
  requestedAt: string;
  /** The workloads an approval lets Slipway patch, fixed at the request: `production/cards/Deployment/card-api`. */
  willPatch: string[];
};

/** What an approver weighs; `metrics`, when a source exists, adds each earlier environment's health since its deploy. */
export async function checkpointEvidence(db: Db, rolloutId: string, metrics?: Metrics): Promise<Evidence> {
  const rollout = await getRollout(db, rolloutId);
  const row = await db.rollout.findUniqueOrThrow({ where: { id: rolloutId }, select: { serviceId: true, releaseId: true } });
  const proposedAt = new Date(rollout.release.createdAt);
  const runningAt = rollout.previousRelease ? new Date(rollout.previousRelease.createdAt) : undefined;
  const between = await db.release.findMany({
    where: { serviceId: row.serviceId, createdAt: { lte: proposedAt, ...(runningAt ? { gt: runningAt } : {}) } },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const order = environmentPolicies().map((e) => e.name);
  const before = order.slice(0, Math.max(0, order.indexOf(rollout.environment)));
  const earlier: Evidence["earlier"] = [];
  const service = await db.service.findUniqueOrThrow({
    where: { id: row.serviceId },
    select: { name: true, annotations: true, team: { select: { name: true } } },
  });
  for (const environment of before) {
    const last = await db.rollout.findFirst({ where: { releaseId: row.releaseId, environment }, orderBy: { createdAt: "desc" } });
    if (!last) continue;
    const health =
      metrics && last.startedAt && last.state === "succeeded"
        ? await healthSince(
            metrics,
            { name: service.name, annotations: (service.annotations ?? {}) as Record<string, string>, team: service.team?.name ?? null },
            environment,
            last.startedAt,
          )
        : null;
    earlier.push({
      environment,
      state: last.state as RolloutState,
      since: last.finishedAt?.toISOString() ?? null,
      failureReason: last.failureReason,
      health: health ? { verdict: health.verdict, summary: health.summary } : null,
    });
  }
  return {
    proposed: rollout.release,
    running: rollout.previousRelease,
    changes: between.map((r) => toReleaseView(r, rollout.service)),
    earlier,
    requestedBy: rollout.requestedBy,
    requestedAt: rollout.createdAt,
    willPatch: rollout.targets.map((t) => `${t.cluster}/${t.namespace}/${t.workloadKind}/${t.workloadName}`),
  };
}

export type EnvironmentStatus = {
  environment: string;
  title: string;
  production: boolean;
  policy: "auto" | "checkpoint";
  running: ReleaseView | null;
  since: string | null;
  pending: RolloutView | null;
  inFlight: RolloutView | null;
};

/** What runs where now, per environment, with the pending checkpoint and the rollout in flight. */
export async function deployStatus(db: Db, serviceName: string): Promise<{ environments: EnvironmentStatus[]; releases: ReleaseView[] }> {
  const service = await db.service.findUnique({ where: { kind_name: { kind: "component", name: serviceName } }, select: { id: true, name: true } });
  if (!service) throw new NotFoundError(`There is no service named "${serviceName}".`);
  const environments: EnvironmentStatus[] = [];
  for (const env of environmentPolicies()) {
    const running = await currentRelease(db, service.id, env.name);
    const lastSuccess = running
      ? await db.rollout.findFirst({
          where: { serviceId: service.id, environment: env.name, state: "succeeded" },
          orderBy: { finishedAt: "desc" },
          select: { finishedAt: true },
        })
      : null;
    const pending = await db.rollout.findFirst({
      where: { serviceId: service.id, environment: env.name, state: { in: ["requested", "awaiting_approval"] } },
      include: rolloutInclude,
    });
    const inFlight = await db.rollout.findFirst({
      where: { serviceId: service.id, environment: env.name, state: { in: ["approved", "applying", "progressing"] } },
      include: rolloutInclude,
      orderBy: { createdAt: "desc" },
    });
    const [p, f] = await withPrevious(
      db,
      [pending, inFlight].filter((x): x is NonNullable<typeof x> => !!x),
    );
    environments.push({
      environment: env.name,
      title: env.title,
      production: env.production,
      policy: env.policy,
      running: running ? toReleaseView(running, service.name) : null,
      since: lastSuccess?.finishedAt?.toISOString() ?? null,
      pending: pending ? (p ?? null) : null,
      inFlight: inFlight ? (pending ? (f ?? null) : (p ?? null)) : null,
    });
  }
  const releases = await db.release.findMany({ where: { serviceId: service.id }, orderBy: { createdAt: "desc" }, take: 50 });
  return { environments, releases: releases.map((r) => toReleaseView(r, service.name)) };
}
