import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { searchTerms, type SearchTerms } from "./search-terms";
import type { ServiceKind, ServiceQuery, ServiceSummary } from "./types";

/** What every catalogue statement shares: the columns read, the filter and search conditions, the count caps. */

/** Counting stops here: a search box does not need to know it matched 73,412 rows, only that it matched many. */
export const countCap = 10_000;
/**
 * Free-text matches are counted up to here: each match costs a heap visit (the trigram index always rechecks), so
 * "500+ services" is what a search box shows for a common word. Past it, matches are 1 in 200 or more, and a page of
 * them is found soonest by walking the covering name index (at most 10,000 entries for a page of 50).
 */
export const searchCountCap = 500;
export const capFor = (query: ServiceQuery) => (query.q ? searchCountCap : countCap);
/** Facet counts under other filters are computed over at most this many matches (and flagged as lower bounds). */
const facetSampleCap = 2_000;
/** A search's facets are counted over the matches its count reads, so no facet value shows more than the total. */
export const facetCapFor = (query: ServiceQuery) => (query.q ? searchCountCap : facetSampleCap);

export type FacetName = "team" | "tier" | "lifecycle" | "tag";
export const facetNames: FacetName[] = ["team", "tier", "lifecycle", "tag"];

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

export type SummaryRow = ServiceColumns & { team: string | null; updated_at: Date; id: string; rank?: number };

export const summaryColumns = Prisma.sql`s.id, s.name, s.kind, s.title, s.description, s.type, t.name AS team, s.tier,
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
export const pickedPage = (page: Prisma.Sql) => Prisma.sql`(SELECT s.kind, s.name FROM service s ${page}) p
  JOIN service s ON s.kind = p.kind AND s.name = p.name LEFT JOIN team t ON t.id = s.team_id`;

export function hasFilter(query: ServiceQuery, facet: FacetName): boolean {
  return query[facet].length > 0;
}

/**
 * Names starting with the search text. The range lets Postgres seek the name index in any collation (LIKE 'x%'
 * can only use it in the C collation); LIKE stays as the exact test.
 */
export function namePrefix(lower: string, prefix: string): Prisma.Sql {
  if (!lower) return Prisma.sql`s.name LIKE ${prefix}`;
  const upper = lower.slice(0, -1) + String.fromCharCode(lower.charCodeAt(lower.length - 1) + 1);
  return Prisma.sql`(s.name >= ${lower} AND s.name < ${upper} AND s.name LIKE ${prefix})`;
}

/** The search text anywhere in name or title: the stored lower-cased "name title" (trigram index; see its migration). */
export const containsMatch = (terms: SearchTerms) => Prisma.sql`s.manual_search_text LIKE ${terms.contains}`;
/** Every word as a prefix of a word of name, title, description or tags (the stored full-text document). */
export const documentMatch = (terms: SearchTerms) =>
  terms.tsquery ? Prisma.sql`s.manual_search_document @@ to_tsquery('simple', ${terms.tsquery})` : Prisma.sql`false`;
/** Name and title matches: substrings, or name prefixes for input too short for trigrams. */
export const textMatch = (terms: SearchTerms) => (terms.short ? namePrefix(terms.lower, terms.prefix) : containsMatch(terms));

export function searchCondition(q: string): Prisma.Sql {
  const terms = searchTerms(q);
  if (!terms.tsquery) return textMatch(terms);
  return Prisma.sql`(${textMatch(terms)} OR ${documentMatch(terms)})`;
}

export function conditions(query: ServiceQuery, except?: FacetName, options: { withSearch?: boolean } = {}): Prisma.Sql[] {
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

export const and = (parts: Prisma.Sql[]) => Prisma.join(parts, " AND ");

/** A facet filter's values as the count tables key them: team ids, '' for no tier. */
export type KeyedFilter = { facet: FacetName; keys: Prisma.Sql };

/**
 * A query's filters with their values as the count tables key them, when counts under them can be read from those
 * tables: no search, and for tags one tag (several tags must all match, which the tables cannot tell). Several
 * teams, tiers or lifecycles are fine: a service has one of each, so their counts add up.
 */
export function keyedFilters(query: ServiceQuery): KeyedFilter[] | undefined {
  if (query.q || query.tag.length > 1) return undefined;
  return facetNames
    .filter((f) => hasFilter(query, f))
    .map((facet) => {
      if (facet === "team") return { facet, keys: Prisma.sql`ARRAY(SELECT id::text FROM team WHERE name = ANY(${query.team}::text[]))` };
      const keys = facet === "tier" ? query.tier.map((t) => (t === "none" ? "" : String(t))) : query[facet];
      return { facet, keys: Prisma.sql`${keys}::text[]` };
    });
}
