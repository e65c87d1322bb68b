import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";
import { and, type KeyedFilter, capFor, conditions, keyedFilters, searchCountCap } from "./service-filters";
import { countSearch } from "./service-search";
import type { ServiceQuery } from "./types";

/** How many services a query matches: exact from the count tables where they can answer, else counted up to a cap. */

/** How many services of `kind` have one of `keys` (as `service_facet_count` keys them) in `facet`, from that table. */
async function exactCount(db: DbTx, kind: string, facet: string, keys: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number }>>(
    cachedPlan(Prisma.sql`
    SELECT coalesce(sum(count), 0)::int AS n FROM service_facet_count WHERE kind = ${kind} AND facet = ${facet} AND value = ANY(${keys})`),
  );
  return Number(row?.n ?? 0);
}

/**
 * A list's count; for a search also how many names and titles match and how many services match in all, as far as
 * the count went (one more than it shows, or than a caller asked for).
 */
export type Count = { total: number; lowerBound: boolean; textMatches?: number; matches?: number };

/**
 * How many services of `kind` have one of `a`'s values and one of `b`'s, from `service_facet_pair_count` (every
 * ordered pair of a service's values in two facets): reading it costs the same at 20 services as at 80,000, where
 * counting a tag among the production services walked 80,000 index entries (27 ms).
 */
async function pairCount(db: DbTx, kind: string, a: KeyedFilter, b: KeyedFilter): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number }>>(
    cachedPlan(Prisma.sql`
    SELECT coalesce(sum(count), 0)::int AS n FROM service_facet_pair_count
    WHERE kind = ${kind} AND facet = ${a.facet} AND value = ANY(${a.keys}) AND other_facet = ${b.facet} AND other_value = ANY(${b.keys})`),
  );
  return Number(row?.n ?? 0);
}

/**
 * The unfiltered count, and the count under one or two filters (see keyedFilters), come from the count tables (kept
 * by triggers); anything else is counted over at most `countCap` matching rows.
 */
export async function countServices(
  db: DbTx,
  query: ServiceQuery,
  { searchCountTo = searchCountCap, restTo }: { searchCountTo?: number; restTo?: number } = {},
): Promise<Count> {
  const keyed = keyedFilters(query);
  if (keyed?.length === 0) return { total: await exactCount(db, query.kind, "total", Prisma.sql`ARRAY['']`), lowerBound: false };
  const [a, b, ...more] = keyed ?? [];
  if (a && !b) return { total: await exactCount(db, query.kind, a.facet, a.keys), lowerBound: false };
  if (a && b && !more.length) return { total: await pairCount(db, query.kind, a, b), lowerBound: false };
  const cap = capFor(query);
  if (query.q) {
    // Counting further than the list shows tells a caller how to read the page (see findServicePage).
    const { n, textMatches } = await countSearch(db, query, Math.max(cap, searchCountTo), restTo);
    return { total: Math.min(n, cap), lowerBound: n > cap, textMatches, matches: n };
  }
  const [row] = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM service s WHERE ${and(conditions(query))} LIMIT ${cap + 1}) m`;
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, cap), lowerBound: n > cap };
}
