import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { type DbTx } from "../shared/db";
import { searchTerms } from "./search-terms";
import { type FacetName, and, conditions, documentMatch, facetCapFor, facetNames, hasFilter, keyedFilters, textMatch } from "./service-filters";
import type { FacetValue, Facets, ServiceQuery } from "./types";

/** The facet counts beside a catalogue page (team, tier, lifecycle, tag), exact or over a sample and flagged so. */

const facetColumn: Record<FacetName, Prisma.Sql> = {
  team: Prisma.sql`coalesce(s.team_id::text, '')`,
  tier: Prisma.sql`coalesce(s.tier::text, '')`,
  lifecycle: Prisma.sql`s.lifecycle`,
  tag: Prisma.sql`unnest(s.tags)`,
};

type FacetRow = { facet: FacetName; value: string; count: number; sampled: number | null; team_name: string | null; team_title: string | null };

/**
 * Every facet's top values in one statement. A facet's counts are taken under every filter but its own: with no
 * other filter and no search they come from `service_facet_count`, under exactly one other filter (see keyedFilters)
 * from `service_facet_pair_count` (so under two filters, the two filtered facets); otherwise they are counted over at most
 * `facetCapFor` matches. Facets whose own filter is not set count over the same matches, so that sample is read
 * once (a materialised CTE) and shared.
 */
async function facetCountRows(db: DbTx, query: ServiceQuery): Promise<FacetRow[]> {
  const cap = facetCapFor(query);
  // One sample per distinct set of conditions: "shared" for the facets whose own filter is not set.
  const samples = new Map<string, { name: Prisma.Sql; cte: Prisma.Sql }>();
  const keyed = keyedFilters(query);
  const parts = facetNames.map((facet) => {
    const selected = facet === "lifecycle" || facet === "tag" ? query[facet] : [];
    const order = (value: Prisma.Sql, count: Prisma.Sql) =>
      Prisma.sql`ORDER BY (${value} = ANY(${selected}::text[])) DESC, ${count} DESC, ${value} LIMIT ${facetLimit + selected.length}`;
    const others = facetNames.filter((f) => f !== facet && hasFilter(query, f));
    const [single, ...more] = keyed?.filter((k) => k.facet !== facet) ?? [];
    if (single && !more.length) {
      return Prisma.sql`(SELECT ${facet}::text AS facet, p.other_value AS value, sum(p.count)::int AS count, NULL::int AS sampled
        FROM service_facet_pair_count p WHERE p.kind = ${query.kind} AND p.facet = ${single.facet} AND p.value = ANY(${single.keys})
          AND p.other_facet = ${facet}
        GROUP BY p.other_value HAVING sum(p.count) > 0 ${order(Prisma.sql`p.other_value`, Prisma.sql`sum(p.count)`)})`;
    }
    if (!query.q && others.length === 0) {
      // The values a facet list shows (the most common, and those selected), not all 2,000 teams.
      return Prisma.sql`(SELECT ${facet}::text AS facet, c.value, c.count, NULL::int AS sampled FROM service_facet_count c
        WHERE c.kind = ${query.kind} AND c.facet = ${facet} AND c.count > 0 ${order(Prisma.sql`c.value`, Prisma.sql`c.count`)})`;
    }
    const own = hasFilter(query, facet) ? facet : undefined;
    let sample = samples.get(own ?? "shared");
    if (!sample) {
      const id = `m${samples.size}`;
      sample = { name: Prisma.raw(id), cte: sampleCte(query, id, own, cap) };
      samples.set(own ?? "shared", sample);
    }
    return Prisma.sql`(SELECT ${facet}::text AS facet, x.value, count(*)::int AS count, (SELECT count(*) FROM ${sample.name})::int AS sampled
      FROM (SELECT ${facetColumn[facet]} AS value FROM ${sample.name} s) x GROUP BY x.value ${order(Prisma.sql`x.value`, Prisma.sql`count(*)`)})`;
  });
  const ctes = samples.size
    ? Prisma.sql`WITH ${Prisma.join(
        [...samples.values()].map((m) => m.cte),
        ", ",
      )}`
    : Prisma.empty;
  // Planned every time (no cachedPlan), as every statement here whose best plan depends on its values (how common a
  // search text is, how many services a filter keeps): a generic plan for facets measured a third slower, and one for
  // a search count can read every full-text match past its LIMIT.
  const rows = await db.$queryRaw<FacetRow[]>`${ctes}
    SELECT f.facet, f.value, f.count, f.sampled, t.name AS team_name, coalesce(t.title, t.name) AS team_title
    FROM (${Prisma.join(parts, " UNION ALL ")}) f
    LEFT JOIN team t ON t.id = (CASE WHEN f.facet = 'team' THEN nullif(f.value, '')::uuid END)`;
  return rows.map((r) => ({ ...r, count: Number(r.count), sampled: r.sampled === null ? null : Number(r.sampled) }));
}

const facetLimit = 30;

/**
 * The `cap` matches facets are counted over, as the CTE `id`. A search's sample is its name and title matches
 * (trigram index) and then, for what is left under the cap, its description and tag matches (full-text index; a
 * LIMIT of 0 never starts that scan): one condition with OR would be read by walking the table, since the planner
 * counts the many rows that match both twice.
 */
function sampleCte(query: ServiceQuery, id: string, own: FacetName | undefined, cap: number): Prisma.Sql {
  const columns = Prisma.sql`s.team_id, s.tier, s.lifecycle, s.tags`;
  const terms = searchTerms(query.q ?? "");
  if (!query.q || !terms.tsquery) {
    return Prisma.sql`${Prisma.raw(id)} AS MATERIALIZED (SELECT ${columns} FROM service s WHERE ${and(conditions(query, own))} LIMIT ${cap})`;
  }
  const filters = and(conditions(query, own, { withSearch: false }));
  const text = textMatch(terms);
  const first = Prisma.raw(`${id}_text`);
  return Prisma.sql`${first} AS MATERIALIZED (SELECT ${columns} FROM service s WHERE ${filters} AND ${text} LIMIT ${cap}),
    ${Prisma.raw(id)} AS MATERIALIZED (SELECT * FROM ${first} UNION ALL (SELECT ${columns} FROM service s
      WHERE ${filters} AND ${documentMatch(terms)} AND NOT ${text} LIMIT (SELECT greatest(${cap} - count(*), 0) FROM ${first})))`;
}

function topValues(rows: Array<{ value: string; count: number }>, selected: string[]): Array<{ value: string; count: number }> {
  const sorted = [...rows].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const top = sorted.slice(0, facetLimit);
  for (const value of selected) {
    if (!top.some((r) => r.value === value)) top.push(sorted.find((r) => r.value === value) ?? { value, count: 0 });
  }
  return top;
}

export async function findFacets(db: DbTx, query: ServiceQuery): Promise<Facets> {
  const rows = await facetCountRows(db, query);
  const of = (facet: FacetName) => rows.filter((r) => r.facet === facet);
  const capped = rows.some((r) => r.sampled !== null && r.sampled >= facetCapFor(query));
  const teamRows = topValues(of("team"), []);
  const byId = new Map(of("team").map((r) => [r.value, r]));
  const teamValues: FacetValue[] = teamRows.map((r) => {
    const t = byId.get(r.value);
    return { value: t?.team_name ?? "", label: t?.team_name ? t.team_title! : "No owner", count: r.count };
  });
  for (const name of query.team) {
    if (!teamValues.some((v) => v.value === name)) teamValues.push({ value: name, label: name, count: 0 });
  }
  const tierValues = of("tier")
    .map((r) => ({ value: r.value || "none", label: r.value ? `Tier ${r.value}` : "No tier", count: r.count }))
    .sort((a, b) => (a.value === "none" ? 1 : b.value === "none" ? -1 : Number(a.value) - Number(b.value)));
  return {
    team: teamValues,
    tier: tierValues,
    lifecycle: topValues(of("lifecycle"), query.lifecycle).map((r) => ({ value: r.value, count: r.count, label: r.value })),
    tag: topValues(of("tag"), query.tag).map((r) => ({ value: r.value, count: r.count, label: r.value })),
    countsAreLowerBounds: capped,
  };
}
