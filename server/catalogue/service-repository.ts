import "server-only";
import { z } from "zod";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";
import { safeDateTime } from "../shared/input";
import { decodeCursor, encodeCursor } from "./cursor";
import { searchTerms, type SearchTerms } from "./search-terms";
import type { FacetValue, Facets, ServiceKind, ServicePage, ServiceQuery, ServiceSort, ServiceSummary } from "./types";

/** Counting stops here: a search box does not need to know it matched 73,412 rows, only that it matched many. */
export const countCap = 10_000;
/**
 * Free-text matches are counted up to here: each match costs a heap visit (the trigram index always rechecks), so
 * "500+ services" is what a search box shows for a common word. Past it, matches are 1 in 200 or more, and a page of
 * them is found soonest by walking the covering name index (at most 10,000 entries for a page of 50).
 */
export const searchCountCap = 500;
const capFor = (query: ServiceQuery) => (query.q ? searchCountCap : countCap);
/** A search in another order than relevance walks that order's index (reading each row) only past this many matches. */
const sortedSearchWalkThreshold = 2_000;
/**
 * Description-only matches (relevance rank 3) are walked in name order only past this many: the walk reads each row
 * it passes from the table (for its search document), so with 500 matches it read 10,000 rows (25 ms) where reading
 * and sorting all 500 took 15; with 6,000 it read 710 (0.5 ms) where sorting took 15.
 */
const descriptionWalkThreshold = 2_000;
/** Facet counts under other filters are computed over at most this many matches (and flagged as lower bounds). */
export const facetSampleCap = 2_000;
/** A search's facets are counted over the matches its count reads, so no facet value shows more than the total. */
const facetCapFor = (query: ServiceQuery) => (query.q ? searchCountCap : facetSampleCap);

type FacetName = "team" | "tier" | "lifecycle" | "tag";
const facetNames: FacetName[] = ["team", "tier", "lifecycle", "tag"];

/** A service's own columns as the catalogue's statements read them. */
export type ServiceColumns = {
  name: string;
  kind: ServiceKind;
  title: string | null;
  description: string | null;
  type: string;
  tier: number | null;
  lifecycle: string;
  tags: string[] | null;
};

type SummaryRow = ServiceColumns & { team: string | null; updated_at: Date; id: string; rank?: number };

const summaryColumns = Prisma.sql`s.id, s.name, s.kind, s.title, s.description, s.type, t.name AS team, s.tier,
  s.lifecycle, s.tags, s.updated_at`;

export function toSummary(row: ServiceColumns & { team: string | null }): ServiceSummary {
  return {
    name: row.name,
    kind: row.kind,
    title: row.title,
    description: row.description,
    type: row.type,
    team: row.team,
    tier: row.tier,
    lifecycle: row.lifecycle,
    tags: row.tags ?? [],
  };
}

/**
 * `service s LEFT JOIN team t` restricted to the services a page query picks (`page`: WHERE, ORDER BY and LIMIT
 * over `service s`). The page is picked by name alone, so a walk that filters out thousands of rows (a tag matches
 * one service in 50) stays inside the covering name index, and only the page's own rows are read from the table.
 */
const pickedPage = (page: Prisma.Sql) => Prisma.sql`(SELECT s.kind, s.name FROM service s ${page}) p
  JOIN service s ON s.kind = p.kind AND s.name = p.name LEFT JOIN team t ON t.id = s.team_id`;

function hasFilter(query: ServiceQuery, facet: FacetName): boolean {
  return query[facet].length > 0;
}

/**
 * Names starting with the search text. The range lets Postgres seek the name index in any collation (LIKE 'x%'
 * can only use it in the C collation); LIKE stays as the exact test.
 */
function namePrefix(lower: string, prefix: string): Prisma.Sql {
  if (!lower) return Prisma.sql`s.name LIKE ${prefix}`;
  const upper = lower.slice(0, -1) + String.fromCharCode(lower.charCodeAt(lower.length - 1) + 1);
  return Prisma.sql`(s.name >= ${lower} AND s.name < ${upper} AND s.name LIKE ${prefix})`;
}

/** The search text anywhere in name or title: the stored lower-cased "name title" (trigram index; see its migration). */
const containsMatch = (terms: SearchTerms) => Prisma.sql`s.manual_search_text LIKE ${terms.contains}`;
/** Every word as a prefix of a word of name, title, description or tags (the stored full-text document). */
const documentMatch = (terms: SearchTerms) =>
  terms.tsquery ? Prisma.sql`s.manual_search_document @@ to_tsquery('simple', ${terms.tsquery})` : Prisma.sql`false`;
/** Name and title matches: substrings, or name prefixes for input too short for trigrams. */
const textMatch = (terms: SearchTerms) => (terms.short ? namePrefix(terms.lower, terms.prefix) : containsMatch(terms));

function searchCondition(q: string): Prisma.Sql {
  const terms = searchTerms(q);
  if (!terms.tsquery) return textMatch(terms);
  return Prisma.sql`(${textMatch(terms)} OR ${documentMatch(terms)})`;
}

function conditions(query: ServiceQuery, except?: FacetName, options: { withSearch?: boolean } = {}): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [Prisma.sql`s.kind = ${query.kind}`];
  if (query.q && options.withSearch !== false) parts.push(searchCondition(query.q));
  if (except !== "team" && query.team.length) {
    parts.push(Prisma.sql`s.team_id IN (SELECT id FROM team WHERE name = ANY(${query.team}::text[]))`);
  }
  if (except !== "tier" && query.tier.length) {
    const tiers = query.tier.filter((t): t is number => t !== "none");
    const none = query.tier.includes("none");
    parts.push(none ? Prisma.sql`(s.tier IS NULL OR s.tier = ANY(${tiers}::int[]))` : Prisma.sql`s.tier = ANY(${tiers}::int[])`);
  }
  if (except !== "lifecycle" && query.lifecycle.length) {
    parts.push(Prisma.sql`s.lifecycle = ANY(${query.lifecycle}::text[])`);
  }
  if (except !== "tag" && query.tag.length) parts.push(Prisma.sql`s.tags @> ${query.tag}::text[]`);
  return parts;
}

const and = (parts: Prisma.Sql[]) => Prisma.join(parts, " AND ");

function effectiveSort(query: ServiceQuery): ServiceSort {
  if (query.sort === "relevance" && !query.q) return "name";
  return query.sort ?? (query.q ? "relevance" : "name");
}

/** What a cursor holds in each order: the sort key of the page's last row. */
const cursorShapes: Record<ServiceSort, z.ZodType<Array<string | number>>> = {
  relevance: z.tuple([z.number().int().min(0).max(3), z.string()]),
  name: z.tuple([z.string()]),
  "-name": z.tuple([z.string()]),
  updated: z.tuple([safeDateTime(), z.guid()]),
  tier: z.tuple([z.number().int().min(0).max(99), z.string()]),
};

/** ORDER BY, the keyset condition after the cursor, and how to make the next cursor, per sort (relevance: relevancePage). */
function ordering(sort: Exclude<ServiceSort, "relevance">, cursor: Array<string | number> | undefined) {
  const c = cursor ?? [];
  switch (sort) {
    case "-name":
      return {
        orderBy: Prisma.sql`s.name DESC`,
        after: cursor ? Prisma.sql`s.name < ${String(c[0])}` : undefined,
        next: (r: SummaryRow) => [r.name],
      };
    case "updated":
      return {
        orderBy: Prisma.sql`s.updated_at DESC, s.id`,
        after: cursor
          ? // The first conjunct is the index range (kind, updated_at DESC, id); the second drops what the page had.
            Prisma.sql`s.updated_at <= ${String(c[0])}::timestamptz AND (s.updated_at < ${String(c[0])}::timestamptz OR s.id > ${String(c[1])}::uuid)`
          : undefined,
        next: (r: SummaryRow) => [r.updated_at.toISOString(), r.id],
      };
    case "tier": {
      const tier = Prisma.sql`coalesce(s.tier, 99)`;
      return {
        orderBy: Prisma.sql`${tier}, s.name`,
        after: cursor ? Prisma.sql`(${tier}, s.name) > (${Number(c[0])}::int, ${String(c[1])})` : undefined,
        next: (r: SummaryRow) => [r.tier ?? 99, r.name],
      };
    }
    default:
      return {
        orderBy: Prisma.sql`s.name`,
        after: cursor ? Prisma.sql`s.name > ${String(c[0])}` : undefined,
        next: (r: SummaryRow) => [r.name],
      };
  }
}

/**
 * Relevance order is (rank, name) with rank 0 = the exact name, 1 = a name prefix, 2 = a substring of name or title,
 * 3 = only a word of the description or tags. Sorting every match by a computed rank visits every matching row
 * (7,000 for a common word at 100,000 services). Instead each rank is asked in turn for the rest of the page in
 * name order, which Postgres answers by walking the name index and stopping after a page when matches are common,
 * or through the search indexes when they are rare; a rank whose page is already full is never read. Rank 3 is
 * fenced (OFFSET 0) to its full-text index unless the count found it large: walking the name index reads each row's
 * search document from the table.
 */
function searchTiers(query: ServiceQuery): Prisma.Sql[] {
  const terms = searchTerms(query.q ?? "");
  const contains = containsMatch(terms);
  const fts = documentMatch(terms);
  return [
    Prisma.sql`s.name = ${terms.lower}`,
    Prisma.sql`${namePrefix(terms.lower, terms.prefix)} AND s.name <> ${terms.lower}`,
    terms.short ? Prisma.sql`${contains} AND NOT s.name LIKE ${terms.prefix} AND ${fts}` : Prisma.sql`${contains} AND NOT s.name LIKE ${terms.prefix}`,
    Prisma.sql`${fts} AND NOT ${contains}`,
  ];
}

async function relevancePage(
  db: DbTx,
  query: ServiceQuery,
  cursor: Array<string | number> | undefined,
  limit: number,
  /** The search's count: which ranks can hold matches at all. */
  count: Count,
): Promise<SummaryRow[]> {
  const filters = and(conditions(query, undefined, { withSearch: false }));
  const afterRank = cursor ? Number(cursor[0]) : -1;
  const afterName = cursor ? String(cursor[1]) : "";
  const tiers = searchTiers(query);
  const terms = searchTerms(query.q ?? "");
  // Whether name/title matches are many (past the count cap): then walking the name index finds a page soonest.
  const textMatches = count.textMatches ?? 0;
  const commonText = textMatches > searchCountCap;
  // Names are DNS-1123 labels: text with any other character (a space, say) is neither a name nor a name prefix.
  const nameLike = /^[a-z0-9-]+$/.test(terms.lower);
  // The count's first part (names and titles; name prefixes for short text) holds ranks 0-2 (short text: 0-1), the
  // rest ranks 3 (short text: 2-3): a part the count found empty is not searched again.
  const noText = textMatches === 0;
  const noRest = !count.lowerBound && count.total === textMatches;
  const textRank = (rank: number) => rank <= 1 || (rank === 2 && !terms.short);
  const ranks = [0, 1, 2, 3].filter((rank) => rank >= afterRank && (nameLike || rank >= 2) && !(noText && textRank(rank)) && !(noRest && !textRank(rank)));
  if (!ranks.length) return [];
  // Each rank reads only what the ranks before it left of the page: a LIMIT of 0 never starts its scan, so a page
  // filled by name prefixes never walks for substrings or full-text matches.
  const rest = (rank: number) => {
    const before = ranks.filter((r) => r < rank).map((r) => Prisma.sql`(SELECT count(*) FROM ${Prisma.raw(`r${r}`)})`);
    return before.length ? Prisma.sql`(SELECT greatest(${limit} - ${Prisma.join(before, " - ")}, 0))` : Prisma.sql`${limit}`;
  };
  // Short text's substring matches (rank 2) are part of the count's second part, not of its name prefixes.
  const commonRest = count.lowerBound && textMatches <= searchCountCap / 2;
  const walkRank2 = terms.short ? commonRest : commonText;
  // Longer text's second part is rank 3 exactly, counted further when names and titles matched few (see countSearch).
  const walkRank3 = !terms.short && (count.matches ?? 0) - textMatches > descriptionWalkThreshold;
  const select = (rank: number) => {
    const condition = tiers[rank]!;
    const after = rank === afterRank ? Prisma.sql`AND s.name > ${afterName}` : Prisma.empty;
    // The exact name and name prefixes are ranges of the name index.
    if (rank <= 1) {
      return Prisma.sql`SELECT ${summaryColumns}, ${rank}::int AS rank FROM service s LEFT JOIN team t ON t.id = s.team_id
        WHERE ${filters} AND ${condition} ${after} ORDER BY s.name LIMIT ${rest(rank)}`;
    }
    // Many substring matches: walk the covering name index (the searched text is in it, so the walk reads no table
    // row it does not return) and stop after a page; at 1 match in 200 that is 10,000 index entries. More than
    // 2,000 description-only matches: the planner may walk names too (reading each row's search document), which it
    // does when they are common (see descriptionWalkThreshold).
    if ((rank === 2 && walkRank2) || (rank === 3 && walkRank3)) {
      const page = Prisma.sql`WHERE ${filters} AND ${condition} ${after} ORDER BY s.name LIMIT ${rest(rank)}`;
      return Prisma.sql`SELECT ${summaryColumns}, ${rank}::int AS rank FROM ${pickedPage(page)} ORDER BY s.name`;
    }
    // Few substring matches come from the trigram index, and few full-text-only matches (rank 3) from the full-text
    // index, then sorted (fenced by OFFSET 0): the planner's estimate for LIKE '%x%' is too rough to be trusted with
    // walking 100,000 names for 400 matches, nor its estimate for a full-text prefix with walking them for 20.
    return Prisma.sql`SELECT m.*, ${rank}::int AS rank FROM (SELECT ${summaryColumns} FROM service s LEFT JOIN team t ON t.id = s.team_id
      WHERE ${filters} AND ${condition} ${after} OFFSET 0) m ORDER BY m.name LIMIT ${rest(rank)}`;
  };
  const ctes = ranks.map((rank) => Prisma.sql`${Prisma.raw(`r${rank}`)} AS MATERIALIZED (${select(rank)})`);
  const all = ranks.map((rank) => Prisma.sql`SELECT * FROM ${Prisma.raw(`r${rank}`)}`);
  return db.$queryRaw<SummaryRow[]>`WITH ${Prisma.join(ctes, ", ")}
    SELECT * FROM (${Prisma.join(all, " UNION ALL ")}) r ORDER BY r.rank, r.name LIMIT ${limit}`;
}

/**
 * Matches of a search, counted up to `cap`, in one statement. Name and title matches (trigram index) are counted
 * first; only when they stay under the cap are all matches counted, description and tags included, in one more
 * pass (never started otherwise), so a common word never touches the full-text index here. That pass reads
 * both indexes when matches are few, or walks the table until the cap when they are many; with `restTo` and few
 * name and title matches it counts on until it has found `restTo` others (which decides how a page of them is read).
 */
async function countSearch(
  db: DbTx,
  query: ServiceQuery,
  cap: number,
  /** When names and titles match at most half the cap: count this many more matches besides them. */
  restTo?: number,
): Promise<{ n: number; textMatches: number }> {
  const filters = and(conditions(query, undefined, { withSearch: false }));
  const terms = searchTerms(query.q ?? "");
  const text = textMatch(terms);
  // With `restTo`, far enough to tell whether that many others match when names and titles match half the cap.
  const allCap = restTo ? cap / 2 + restTo : cap;
  // Each match set is fenced (OFFSET 0) so it comes from the search indexes, whose heap visits stop at the cap. The
  // second pass is skipped by a condition Postgres tests once (not by a LIMIT computed in the statement: for that it
  // plans on fetching a tenth of the rows, and read a whole table for 518 matches under two filters, 78 ms).
  const all = terms.tsquery
    ? Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM (SELECT 1 FROM service s WHERE ${filters} AND ${searchCondition(query.q ?? "")}
        OFFSET 0) f WHERE (SELECT n FROM t) <= ${cap} LIMIT ${allCap + 1}) m)::int`
    : Prisma.sql`NULL::int`;
  const [row] = await db.$queryRaw<Array<{ n: number; all: number | null }>>`
    WITH t AS MATERIALIZED (SELECT count(*)::int AS n FROM (SELECT 1 FROM (SELECT 1 FROM service s WHERE ${filters} AND ${text} OFFSET 0) f LIMIT ${cap + 1}) m)
    SELECT (SELECT n FROM t) AS n, ${all} AS "all"`;
  const n = Number(row?.n ?? 0);
  return { n: n > cap || row?.all == null ? n : Number(row.all), textMatches: n };
}

export async function findServicePage(db: DbTx, query: ServiceQuery): Promise<ServicePage> {
  const sort = effectiveSort(query);
  const cursor = decodeCursor(query.cursor, cursorShapes[sort]);
  let rows: SummaryRow[];
  let count: Count;
  let next: (r: SummaryRow) => Array<string | number>;
  if (sort === "relevance") {
    // The count comes first: how many names and titles match decides how the page is best read.
    // Longer text counts description-only matches further: past descriptionWalkThreshold, rank 3 is walked.
    count = await countServices(db, query, { restTo: searchTerms(query.q ?? "").short ? undefined : descriptionWalkThreshold });
    rows = count.total === 0 ? [] : await relevancePage(db, query, cursor, query.limit + 1, count);
    next = (r) => [Number(r.rank), r.name];
  } else {
    const order = ordering(sort, cursor);
    const where = conditions(query);
    if (order.after) where.push(order.after);
    const page = Prisma.sql`WHERE ${and(where)} ORDER BY ${order.orderBy} LIMIT ${query.limit + 1}`;
    if (query.q) {
      // A search in another order: when the count found few matches they come from the search indexes and are
      // sorted (fenced by OFFSET 0); walking an index in that order would test the search on thousands of rows,
      // reading each (the search document is only in the table), so "many" starts at 1 in 50 here.
      count = await countServices(db, query, { searchCountTo: sortedSearchWalkThreshold });
      const many = count.matches! > sortedSearchWalkThreshold;
      rows =
        count.total === 0
          ? []
          : await db.$queryRaw<SummaryRow[]>`SELECT * FROM (SELECT ${summaryColumns} FROM service s LEFT JOIN team t ON t.id = s.team_id
        WHERE ${and(where)} ${many ? Prisma.empty : Prisma.sql`OFFSET 0`}) s ORDER BY ${order.orderBy} LIMIT ${query.limit + 1}`;
    } else {
      [rows, count] = await Promise.all([
        // A tag filter has no index in name order to walk: the page is picked from the covering index.
        query.tag.length
          ? db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM ${pickedPage(page)} ORDER BY ${order.orderBy}`
          : db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM service s LEFT JOIN team t ON t.id = s.team_id ${page}`,
        countServices(db, query),
      ]);
    }
    next = order.next;
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursor(next(last)) : null,
    total: count.total,
    totalIsLowerBound: count.lowerBound,
  };
}

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
type Count = { total: number; lowerBound: boolean; textMatches?: number; matches?: number };

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
async function countServices(
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

/** A facet filter's values as the count tables key them: team ids, '' for no tier. */
type KeyedFilter = { facet: FacetName; keys: Prisma.Sql };

/**
 * A query's filters with their values as the count tables key them, when counts under them can be read from those
 * tables: no search, and for tags one tag (several tags must all match, which the tables cannot tell). Several
 * teams, tiers or lifecycles are fine: a service has one of each, so their counts add up.
 */
function keyedFilters(query: ServiceQuery): KeyedFilter[] | undefined {
  if (query.q || query.tag.length > 1) return undefined;
  return facetNames
    .filter((f) => hasFilter(query, f))
    .map((facet) => {
      if (facet === "team") return { facet, keys: Prisma.sql`ARRAY(SELECT id::text FROM team WHERE name = ANY(${query.team}::text[]))` };
      const keys = facet === "tier" ? query.tier.map((t) => (t === "none" ? "" : String(t))) : query[facet];
      return { facet, keys: Prisma.sql`${keys}::text[]` };
    });
}

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

export async function quickSearchServices(db: DbTx, q: string, limit: number) {
  const terms = searchTerms(q);
  const rows = await db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM service s
    LEFT JOIN team t ON t.id = s.team_id
    WHERE ${searchCondition(q)}
    ORDER BY (CASE WHEN s.name = ${terms.lower} THEN 0 WHEN s.name LIKE ${terms.prefix} THEN 1 ELSE 2 END),
      (s.kind <> 'component'), length(s.name), s.name
    LIMIT ${limit}`;
  return rows.map(toSummary);
}
