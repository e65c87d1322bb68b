import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";

export type DeliveryScope = { kind: "team" | "service"; name: string };

/** A scope as the figures' statement takes it: a team as the ids of it and every team below it. */
export type ResolvedScope = { kind: "team"; teamIds: string[] } | { kind: "service"; name: string };

/**
 * The ids of a team and of every team below it, or null when there is no such team. Its own statement: inside the
 * figures' one, the planner guesses thousands of teams from the recursive CTE (its estimate, not the tree's size),
 * and a plan costed for those is JIT-compiled, half a second for a few milliseconds of work.
 */
export async function teamTree(db: DbTx, name: string): Promise<string[] | null> {
  const [row] = await db.$queryRaw<Array<{ ids: string[] | null }>>(
    cachedPlan(Prisma.sql`
    WITH RECURSIVE squad AS (
      SELECT id FROM team WHERE name = ${name}
      UNION ALL SELECT t.id FROM team t JOIN squad ON t.parent_id = squad.id
    )
    SELECT array_agg(id::text) AS ids FROM squad`),
  );
  return row?.ids?.length ? row.ids : null;
}

/**
 * The services a figure covers (`scope`), the row a missing service is told by (`root`), and every production deploy
 * of theirs that ended inside [since, until) with, for a failure, the next success in that environment (`judged`).
 * A team's figures cover the services of the team and of every team below it, so a tribe sees its squads together.
 * The deploys come from the (service_id, environment, finished_at) index, one range per service; the next success
 * is one step forward in the same index.
 */
export function judgedDeploys(scope: ResolvedScope, environments: string[], since: Date, until: Date): Prisma.Sql {
  const services =
    scope.kind === "team"
      ? Prisma.sql`root AS (SELECT 1),
          scope AS (
            SELECT s.id, s.name FROM unnest(${scope.teamIds}::uuid[]) AS squad(id)
             CROSS JOIN LATERAL (SELECT s.id, s.name FROM service s WHERE s.kind = 'component' AND s.team_id = squad.id OFFSET 0) s
          )`
      : Prisma.sql`root AS (SELECT id FROM service WHERE kind = 'component' AND name = ${scope.name}),
          scope AS (SELECT s.id, s.name FROM service s WHERE s.id IN (SELECT id FROM root))`;
  return Prisma.sql`WITH ${services},
    deploys AS (
      SELECT r.id, sc.name AS service, r.service_id, r.environment, r.state, r.started_at, r.finished_at, r.failure_reason,
             rel.version, rel.committed_at, rel.created_at AS registered_at
        FROM scope sc
        -- Per service, so the plan is always a range of the (service_id, environment, finished_at) index.
        CROSS JOIN LATERAL (
          SELECT * FROM rollout r
           WHERE r.service_id = sc.id AND r.environment = ANY(${environments}::text[])
             AND r.finished_at >= ${since} AND r.finished_at < ${until}
             AND r.kind = 'deploy' AND r.state IN ('succeeded', 'failed', 'rolled_back')
          -- OFFSET 0 keeps the subquery per service: flattened, the planner guesses the squad's size from the recursive
          -- CTE and hash-joins every production rollout of the window instead.
          OFFSET 0
        ) r
        JOIN release rel ON rel.id = r.release_id
    ),
    judged AS (
      SELECT d.*, d.state <> 'succeeded' AS failure,
             CASE WHEN d.state = 'succeeded'
                  THEN EXTRACT(EPOCH FROM d.finished_at - COALESCE(d.committed_at, d.registered_at))::float8 * 1000 END AS lead_ms,
             next.id AS restored_by,
             -- A rolled-back change hurt from when it started rolling out; a failed one from when it failed.
             EXTRACT(EPOCH FROM next.finished_at - CASE WHEN d.state = 'rolled_back' THEN COALESCE(d.started_at, d.finished_at) ELSE d.finished_at END
             )::float8 * 1000 AS restore_ms
        FROM deploys d
        LEFT JOIN LATERAL (
          SELECT n.id, n.finished_at FROM rollout n
           WHERE d.state <> 'succeeded' AND n.service_id = d.service_id AND n.environment = d.environment
             AND n.finished_at > d.finished_at AND n.state = 'succeeded'
           ORDER BY n.finished_at LIMIT 1
        ) next ON true
    )`;
}
