import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { type DbTx } from "../shared/db";
import { searchTerms } from "./search-terms";
import type { Count } from "./service-counts";
import {
  SummaryRow,
  and,
  conditions,
  containsMatch,
  documentMatch,
  namePrefix,
  pickedPage,
  searchCondition,
  searchCountCap,
  summaryColumns,
  textMatch,
} from "./service-filters";
import type { ServiceQuery } from "./types";

/** Free-text search over services: relevance pages rank by rank, and how many services a search matches. */

/** A search in another order than relevance walks that order's index (reading each row) only past this many matches. */
export const sortedSearchWalkThreshold = 2_000;
/**
 * Description-only matches (relevance rank 3) are walked in name order only past this many: the walk reads each row
 * it passes from the table (for its search document), which costs more than sorting a few hundred matches and far
 * less than sorting thousands (figures in docs/catalogue-search.md).
 */
export const descriptionWalkThreshold = 2_000;
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

export async function relevancePage(
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
export async function countSearch(
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
