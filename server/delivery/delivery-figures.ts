import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";
import { NotFoundError } from "../shared/errors";
import {
  failureRateBand,
  frequencyBand,
  leadTimeBand,
  restoreBand,
  type DeliveryFigureName,
  type DeliveryFigures,
  type DeliveryRollout,
  type DeliveryWeek,
  type DeliveryWindow,
} from "./contract";
import { judgedDeploys, teamTree, type DeliveryScope, type ResolvedScope } from "./delivery-sql";

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;

type Row = {
  week: Date | null;
  total: boolean;
  found: number;
  services: number;
  deploys: number;
  failures: number;
  lead_ms: number | null;
  lead_measured: number;
  lead_without_commit: number;
  restore_ms: number | null;
  restored: number;
  unrestored: number;
};

/** Monday 00:00 UTC of the week holding `at`, as Postgres's date_trunc('week', …, 'UTC') gives it. */
function weekStart(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * dayMs);
}

/** A team as its tree of ids (404 when there is none); a service as it is, told missing by the statement itself. */
async function resolve(db: DbTx, scope: DeliveryScope): Promise<ResolvedScope> {
  if (scope.kind === "service") return { kind: "service", name: scope.name };
  const teamIds = await teamTree(db, scope.name);
  if (!teamIds) throw notFound(scope);
  return { kind: "team", teamIds };
}

function notFound(scope: DeliveryScope): NotFoundError {
  return new NotFoundError(scope.kind === "team" ? `There is no team named "${scope.name}".` : `There is no service named "${scope.name}".`);
}

/** The figures' one statement: the week buckets and the total (GROUPING SETS), over the judged deploys. */
export function figuresStatement(scope: ResolvedScope, productionEnvironments: string[], since: Date, until: Date): Prisma.Sql {
  return Prisma.sql`${judgedDeploys(scope, productionEnvironments, since, until)}
    SELECT date_trunc('week', finished_at, 'UTC') AS week,
           GROUPING(date_trunc('week', finished_at, 'UTC')) = 1 AS total,
           (SELECT count(*) FROM root)::int AS found,
           (SELECT count(*) FROM scope)::int AS services,
           count(*)::int AS deploys,
           count(*) FILTER (WHERE failure)::int AS failures,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_ms) FILTER (WHERE NOT failure) AS lead_ms,
           count(*) FILTER (WHERE NOT failure)::int AS lead_measured,
           count(*) FILTER (WHERE NOT failure AND committed_at IS NULL)::int AS lead_without_commit,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY restore_ms) FILTER (WHERE failure AND restored_by IS NOT NULL) AS restore_ms,
           count(*) FILTER (WHERE failure AND restored_by IS NOT NULL)::int AS restored,
           count(*) FILTER (WHERE failure AND restored_by IS NULL)::int AS unrestored
      FROM judged
     GROUP BY GROUPING SETS ((date_trunc('week', finished_at, 'UTC')), ())`;
}

/**
 * The four keys for a team (with the teams below it) or a service over the last `days` days up to `now`, and their
 * weekly trend: one statement, grouped by week and in total.
 */
export async function deliveryFigures(
  db: DbTx,
  scope: DeliveryScope,
  options: { days: DeliveryWindow; productionEnvironments: string[]; now?: Date },
): Promise<DeliveryFigures> {
  const until = options.now ?? new Date();
  const since = new Date(until.getTime() - options.days * dayMs);
  const resolved = await resolve(db, scope);
  const rows = await db.$queryRaw<Row[]>(cachedPlan(figuresStatement(resolved, options.productionEnvironments, since, until)));
  const total = rows.find((r) => r.total);
  if (!total?.found) throw notFound(scope);

  const byWeek = new Map(rows.filter((r) => !r.total && r.week).map((r) => [r.week!.getTime(), r]));
  const weeks: DeliveryWeek[] = [];
  for (let w = weekStart(since).getTime(); w < until.getTime(); w += weekMs) {
    const r = byWeek.get(w);
    weeks.push({
      week: new Date(w).toISOString(),
      deploys: r?.deploys ?? 0,
      failures: r?.failures ?? 0,
      leadTimeMedianMs: r?.lead_ms ?? null,
      restoreMedianMs: r?.restore_ms ?? null,
    });
  }
  const perDay = total.deploys / options.days;
  const rate = total.deploys ? total.failures / total.deploys : null;
  return {
    scope: { kind: scope.kind, name: scope.name, services: total.services },
    days: options.days,
    since: since.toISOString(),
    until: until.toISOString(),
    productionEnvironments: options.productionEnvironments,
    deploymentFrequency: { deploys: total.deploys, perDay, perWeek: perDay * 7, band: total.services ? frequencyBand(perDay) : null },
    leadTime: {
      medianMs: total.lead_ms,
      measured: total.lead_measured,
      withoutCommitTime: total.lead_without_commit,
      band: leadTimeBand(total.lead_ms),
    },
    changeFailureRate: { failures: total.failures, deploys: total.deploys, rate, band: failureRateBand(rate) },
    timeToRestore: { medianMs: total.restore_ms, restored: total.restored, unrestored: total.unrestored, band: restoreBand(total.restore_ms) },
    weeks,
  };
}

type RolloutRow = {
  id: string;
  service: string;
  version: string;
  environment: string;
  state: DeliveryRollout["state"];
  finished_at: Date;
  committed_at: Date | null;
  registered_at: Date;
  lead_ms: number | null;
  restored_by: string | null;
  restore_ms: number | null;
  failure_reason: string | null;
};

const figureFilter: Record<DeliveryFigureName, Prisma.Sql> = {
  deploys: Prisma.sql`true`,
  "lead-time": Prisma.sql`NOT failure`,
  failures: Prisma.sql`failure`,
  restore: Prisma.sql`failure`,
};

/** The rollouts behind one figure (optionally of one week of the trend), newest first, at most `limit`. */
export async function deliveryRollouts(
  db: DbTx,
  scope: DeliveryScope,
  options: { days: DeliveryWindow; figure: DeliveryFigureName; week?: string | undefined; productionEnvironments: string[]; now?: Date; limit?: number },
): Promise<{ items: DeliveryRollout[]; since: string; until: string }> {
  const now = options.now ?? new Date();
  let since = new Date(now.getTime() - options.days * dayMs);
  let until = now;
  if (options.week) {
    const start = new Date(`${options.week}T00:00:00Z`);
    since = new Date(Math.max(since.getTime(), start.getTime()));
    until = new Date(Math.min(until.getTime(), start.getTime() + weekMs));
  }
  const resolved = await resolve(db, scope);
  if (resolved.kind === "service" && !(await db.service.count({ where: { kind: "component", name: scope.name } }))) throw notFound(scope);
  const rows = await db.$queryRaw<RolloutRow[]>(Prisma.sql`${judgedDeploys(resolved, options.productionEnvironments, since, until)}
    SELECT j.id, j.service, j.version, j.environment, j.state, j.finished_at, j.committed_at, j.registered_at, j.lead_ms, j.restored_by,
           j.restore_ms, j.failure_reason
      FROM judged j WHERE ${figureFilter[options.figure]}
     ORDER BY j.finished_at DESC, j.id
     LIMIT ${options.limit ?? 500}`);
  const items = rows.map((r): DeliveryRollout => ({
    id: r.id,
    service: r.service,
    version: r.version,
    environment: r.environment,
    state: r.state,
    finishedAt: r.finished_at.toISOString(),
    committedAt: r.committed_at?.toISOString() ?? null,
    registeredAt: r.registered_at.toISOString(),
    leadTimeMs: r.lead_ms,
    restoredBy: r.restored_by,
    restoreMs: r.restore_ms,
    failureReason: r.failure_reason,
  }));
  return { items, since: since.toISOString(), until: until.toISOString() };
}
