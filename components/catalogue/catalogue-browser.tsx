"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Facets, ServicePage } from "@/server/catalogue/contract";
import type { ServiceVersions } from "@/server/cluster/contract";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { FilterIcon, SearchIcon, XIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Segmented } from "@/components/ui/segmented";
import { Select } from "@/components/ui/select";
import { useInfiniteScroll } from "@/components/ui/use-infinite-scroll";
import { ActiveFilterChips, CatalogueFilters } from "./catalogue-filters";
import { activeFilterCount, effectiveSort, facetNames, type CatalogueKind, type CatalogueQuery, type CatalogueSort, type FacetName } from "./catalogue-query";
import { ServiceTableSkeleton } from "./catalogue-skeleton";
import { entityHref, kindLabel } from "./entity-href";
import { ProblemPanel } from "./problem-panel";
import { ServiceTable } from "./service-table";
import { useCatalogueData } from "./use-catalogue-data";
import { useCatalogueKeyboard } from "./use-catalogue-keyboard";
import { useCatalogueUrlState } from "./use-catalogue-url-state";

/** The API's limit on search text (serviceQuerySchema); longer text is explained here instead of sent. */
const maxSearchLength = 200;

const kindOptions: Array<{ value: CatalogueKind; label: string }> = [
  { value: "component", label: "Services" },
  { value: "api", label: "APIs" },
  { value: "resource", label: "Resources" },
];

const sortOptions: Array<{ value: CatalogueSort; label: string }> = [
  { value: "relevance", label: "Relevance" },
  { value: "name", label: "Name A–Z" },
  { value: "-name", label: "Name Z–A" },
  { value: "updated", label: "Recently updated" },
  { value: "tier", label: "Tier" },
];

function toggle(values: string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

const nouns: Record<CatalogueKind, [string, string]> = {
  component: ["service", "services"],
  api: ["API", "APIs"],
  resource: ["resource", "resources"],
};

function countLabel(n: number, lowerBound: boolean, kind: CatalogueKind) {
  const [one, many] = nouns[kind];
  return `${n.toLocaleString("en-GB")}${lowerBound ? "+" : ""} ${n === 1 && !lowerBound ? one : many}`;
}

/**
 * The catalogue: search as you type, facets, sort and keyset-paginated results, all mirrored in the URL so a view
 * can be shared. The server renders the first page and facets; later pages and every change come from the API.
 */
export function CatalogueBrowser({
  initialQuery,
  initialPage,
  initialFacets,
  initialVersions = null,
}: {
  initialQuery: CatalogueQuery;
  initialPage: ServicePage;
  initialFacets: Facets;
  /** The running versions of the first page's services, when the clusters answered in time. */
  initialVersions?: ServiceVersions | null;
}) {
  const router = useRouter();
  const { query, setQuery, text, setText, listKey } = useCatalogueUrlState();
  const [highlighted, setHighlighted] = useState(-1);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  useEffect(() => setHighlighted(-1), [listKey]);

  const searchTooLong = query.q.trim().length > maxSearchLength;
  const { services, facets, versions, items } = useCatalogueData(query, searchTooLong, {
    query: initialQuery,
    page: initialPage,
    facets: initialFacets,
    versions: initialVersions,
  });
  const firstPage = services.data?.pages[0];
  const { isFetchingNextPage, fetchNextPage } = services;
  const hasNextPage = services.hasNextPage && !searchTooLong;

  const open = useCallback(
    (index: number) => {
      const service = items[index];
      const href = service && entityHref(service.kind, service.name);
      if (href) router.push(href);
    },
    [items, router],
  );

  const move = useCallback(
    (step: number) => {
      if (!items.length) return;
      setHighlighted((h) => {
        const next = Math.max(0, Math.min(items.length - 1, h + step));
        document.getElementById(`service-row-${next}`)?.scrollIntoView({ block: "nearest" });
        return next;
      });
      if (highlighted + step >= items.length - 5 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    },
    [items.length, highlighted, hasNextPage, isFetchingNextPage, fetchNextPage],
  );

  const clearSearch = useCallback(() => {
    setText("");
    setQuery((q) => ({ ...q, q: "" }));
  }, [setText, setQuery]);
  const clearHighlight = useCallback(() => setHighlighted(-1), []);
  useCatalogueKeyboard({ searchRef, highlighted, text, itemCount: items.length, move, open, clearSearch, clearHighlight });
  // "Load more" stays as a fallback below the list.
  useInfiniteScroll(sentinelRef, { hasNextPage, isFetchingNextPage, fetchNextPage });

  const update = (change: Partial<CatalogueQuery>) => setQuery((q) => ({ ...q, ...change }));
  const toggleFacet = (facet: FacetName, value: string) => setQuery((q) => ({ ...q, [facet]: toggle(q[facet], value) }));
  const clearFilters = () => {
    setText("");
    setQuery((q) => ({ ...q, q: "", team: [], tier: [], lifecycle: [], tag: [] }));
  };

  const facetData = facets.data;
  const labelOf = (facet: FacetName, value: string) =>
    facetData?.[facet].find((v) => v.value === value)?.label ?? (facet === "tier" ? (value === "none" ? "No tier" : `Tier ${value}`) : value);

  const filterCount = activeFilterCount(query);
  const sort = effectiveSort(query);
  const searching = query.q.trim().length > 0;
  const refreshing = services.isPlaceholderData && services.isFetching;
  const many = kindLabel[query.kind]!.many;
  const kindNoun = nouns[query.kind][1];

  const chips = facetNames.flatMap((facet) =>
    query[facet].map((value) => ({ facet, value, label: facet === "lifecycle" || facet === "tag" ? value : labelOf(facet, value) })),
  );

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-6 md:px-6">
      <header className="mb-5 flex flex-wrap items-end justify-between gap-x-6 gap-y-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Catalogue</h1>
          <p className="mt-0.5 text-[13px] text-zinc-500 dark:text-zinc-400">
            Every service, API and resource: who owns it, how critical it is and what it depends on.
          </p>
        </div>
        <Segmented label="Kind" options={kindOptions} value={query.kind} onChange={(kind) => update({ kind })} />
      </header>

      <div className="grid grid-cols-1 gap-x-8 gap-y-4 md:grid-cols-[220px_minmax(0,1fr)] lg:grid-cols-[240px_minmax(0,1fr)]">
        <CatalogueFilters
          query={query}
          facetData={facetData}
          failed={facets.isError}
          refreshing={facets.isPlaceholderData && facets.isFetching}
          open={filtersOpen}
          filterCount={filterCount}
          onToggle={toggleFacet}
          onReset={() => setQuery((q) => ({ ...q, team: [], tier: [], lifecycle: [], tag: [] }))}
        />

        <section aria-label={many} className="min-w-0 max-md:order-1 max-md:contents">
          <div className="max-md:order-0">
            <Input
              ref={searchRef}
              size="lg"
              type="search"
              autoFocus
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder={`Search ${kindNoun}…`}
              aria-label={`Search ${kindNoun}`}
              aria-controls="catalogue-results"
              aria-invalid={searchTooLong || undefined}
              aria-describedby={searchTooLong ? "catalogue-search-limit" : undefined}
              autoComplete="off"
              spellCheck={false}
              leading={<SearchIcon size={16} />}
              trailing={
                text ? (
                  <button
                    type="button"
                    aria-label="Clear search"
                    onClick={() => {
                      setText("");
                      update({ q: "" });
                      searchRef.current?.focus();
                    }}
                    className={cn("rounded p-0.5 text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200", focusRing)}
                  >
                    <XIcon size={14} />
                  </button>
                ) : (
                  <Kbd className="max-sm:hidden">/</Kbd>
                )
              }
            />
          </div>

          <div className="max-md:order-3 md:mt-4">
            <div className="mb-2.5 flex flex-wrap items-center gap-x-3 gap-y-2">
              <p className="text-[13px] font-medium text-zinc-700 tabular-nums dark:text-zinc-300" aria-live="polite">
                {firstPage && !searchTooLong ? countLabel(firstPage.total, firstPage.totalIsLowerBound, query.kind) : "\u00a0"}
              </p>
              <Button size="sm" className="md:hidden" aria-expanded={filtersOpen} aria-controls="catalogue-filters" onClick={() => setFiltersOpen((o) => !o)}>
                <FilterIcon size={14} />
                Filters
                {filterCount ? <span className="rounded bg-indigo-600 px-1 text-[11px] text-white tabular-nums dark:bg-indigo-500">{filterCount}</span> : null}
              </Button>
              <label className="ml-auto flex items-center gap-2 text-[13px] text-zinc-500 dark:text-zinc-400">
                <span className="max-sm:sr-only">Sort</span>
                <Select
                  value={sort}
                  onChange={(event) => {
                    const chosen = event.target.value as CatalogueSort;
                    const byDefault = searching ? "relevance" : "name";
                    update({ sort: chosen === byDefault ? undefined : chosen });
                  }}
                >
                  {sortOptions
                    .filter((o) => o.value !== "relevance" || searching)
                    .map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                </Select>
              </label>
            </div>

            <ActiveFilterChips chips={chips} onRemove={toggleFacet} onClearAll={clearFilters} />

            <div
              id="catalogue-results"
              data-catalogue-results
              aria-busy={services.isFetching}
              className="relative overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/40"
            >
              {refreshing ? (
                <div aria-hidden className="absolute inset-x-0 top-0 z-20 h-0.5 overflow-hidden bg-indigo-100 dark:bg-indigo-950">
                  <div className="h-full w-1/3 animate-[slipway-progress_1s_ease-in-out_infinite] bg-indigo-500" />
                </div>
              ) : null}
              {searchTooLong ? (
                <EmptyState
                  icon={<SearchIcon size={18} />}
                  title={<span id="catalogue-search-limit">Search text is limited to {maxSearchLength} characters</span>}
                  description={`This search has ${query.q.trim().length.toLocaleString("en-GB")}. Shorten it to see matching ${kindNoun}.`}
                  action={
                    <Button variant="primary" size="sm" onClick={clearFilters}>
                      Clear search and filters
                    </Button>
                  }
                />
              ) : services.isError && !services.data ? (
                <ProblemPanel error={services.error} onRetry={() => void services.refetch()} returnTo={`/${listKey ? `?${listKey}` : ""}`} />
              ) : !services.data ? (
                <ServiceTableSkeleton />
              ) : items.length === 0 ? (
                <EmptyState
                  icon={<SearchIcon size={18} />}
                  title={
                    searching ? (
                      <>
                        No {kindNoun} match <span className="font-mono">“{query.q.trim()}”</span>
                        {filterCount ? " with these filters" : ""}
                      </>
                    ) : (
                      `No ${kindNoun} match these filters`
                    )
                  }
                  description={
                    searching || filterCount
                      ? "Check the spelling, search for part of the name, or remove some filters."
                      : `The catalogue has no ${kindNoun} yet. Import Backstage descriptors to add them.`
                  }
                  action={
                    searching || filterCount ? (
                      <Button variant="primary" size="sm" onClick={clearFilters}>
                        Clear search and filters
                      </Button>
                    ) : undefined
                  }
                />
              ) : (
                <>
                  <ServiceTable
                    services={items}
                    highlighted={highlighted}
                    rowIdPrefix="service-row"
                    caption={many}
                    dimmed={refreshing}
                    versions={query.kind === "component" ? versions.data : undefined}
                  />
                  {isFetchingNextPage ? <ServiceTableSkeleton rows={3} /> : null}
                </>
              )}
            </div>

            {services.data && items.length > 0 && !searchTooLong ? (
              <div className="mt-3 flex flex-wrap items-center justify-between gap-3 text-xs text-zinc-500 dark:text-zinc-400">
                <span className="tabular-nums">
                  Showing {items.length.toLocaleString("en-GB")} of {firstPage!.total.toLocaleString("en-GB")}
                  {firstPage!.totalIsLowerBound ? "+" : ""}
                </span>
                <span className="hidden items-center gap-1.5 lg:flex">
                  <Kbd>↑</Kbd>
                  <Kbd>↓</Kbd> to move, <Kbd>↵</Kbd> to open, <Kbd>Esc</Kbd> to clear
                </span>
                {hasNextPage ? (
                  <Button size="sm" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
                    {isFetchingNextPage ? "Loading…" : "Load more"}
                  </Button>
                ) : null}
              </div>
            ) : null}
            <div ref={sentinelRef} aria-hidden />
          </div>
        </section>
      </div>
    </div>
  );
}
