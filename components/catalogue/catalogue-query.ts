import type { ServiceQuery } from "@/server/catalogue";

export type CatalogueKind = "component" | "api" | "resource";
export type CatalogueSort = "relevance" | "name" | "-name" | "updated" | "tier";
export type FacetName = "team" | "tier" | "lifecycle" | "tag";
export const facetNames: FacetName[] = ["team", "tier", "lifecycle", "tag"];

/** What the catalogue shows: the search text, the kind, the chosen facet values and the sort. Lives in the URL. */
export type CatalogueQuery = {
  q: string;
  kind: CatalogueKind;
  team: string[];
  tier: string[];
  lifecycle: string[];
  tag: string[];
  sort?: CatalogueSort;
};

const kinds: CatalogueKind[] = ["component", "api", "resource"];
const sorts: CatalogueSort[] = ["relevance", "name", "-name", "updated", "tier"];

/** The server's parsed query, as the browser keeps it. */
export function fromServiceQuery(query: ServiceQuery): CatalogueQuery {
  return {
    q: query.q ?? "",
    kind: query.kind,
    team: query.team,
    tier: query.tier.map(String),
    lifecycle: query.lifecycle,
    tag: query.tag,
    sort: query.sort,
  };
}

export function readCatalogueQuery(params: URLSearchParams): CatalogueQuery {
  const many = (key: string) =>
    params
      .getAll(key)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
  const kind = params.get("kind") as CatalogueKind | null;
  const sort = params.get("sort") as CatalogueSort | null;
  return {
    q: params.get("q") ?? "",
    kind: kind && kinds.includes(kind) ? kind : "component",
    team: many("team"),
    // Only what the API accepts, so a hand-edited link degrades to fewer filters rather than an error.
    tier: many("tier").filter((t) => /^(none|\d)$/.test(t)),
    lifecycle: many("lifecycle"),
    tag: many("tag"),
    sort: sort && sorts.includes(sort) ? sort : undefined,
  };
}

/** The canonical query string: the same filters always give the same string (it is also the cache key). */
export function catalogueQueryString(query: CatalogueQuery, { sort = true }: { sort?: boolean } = {}): string {
  const params = new URLSearchParams();
  const q = query.q.trim();
  if (q) params.set("q", q);
  if (query.kind !== "component") params.set("kind", query.kind);
  for (const facet of facetNames) for (const value of query[facet]) params.append(facet, value);
  if (sort && query.sort) params.set("sort", query.sort);
  return params.toString();
}

/** The order the server will use: relevance only means something while searching. */
export function effectiveSort(query: CatalogueQuery): CatalogueSort {
  if (query.sort === "relevance" && !query.q.trim()) return "name";
  return query.sort ?? (query.q.trim() ? "relevance" : "name");
}

export function activeFilterCount(query: CatalogueQuery): number {
  return facetNames.reduce((n, f) => n + query[f].length, 0);
}
