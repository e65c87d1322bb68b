"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Facets, FacetValue, ServicePage } from "@/server/catalogue";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { FilterIcon, SearchIcon, XIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { Kbd } from "@/components/ui/kbd";
import { Segmented } from "@/components/ui/segmented";
import { Select } from "@/components/ui/select";
import { fetchFacets, fetchRunningVersions, fetchServicePage } from "./catalogue-api";
import {
  activeFilterCount,
  catalogueQueryString,
  effectiveSort,
  facetNames,
  readCatalogueQuery,
  type CatalogueKind,
  type CatalogueQuery,
  type CatalogueSort,
  type FacetName,
} from "./catalogue-query";
import { ServiceTableSkeleton } from "./catalogue-skeleton";
import { entityHref, kindLabel } from "./entity-href";
import { FacetList } from "./facet-list";
import type { ServiceVersions } from "@/server/cluster";
import { ProblemPanel } from "./problem-panel";
import { ServiceTable } from "./service-table";

const searchDebounceMs = 150;
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

const facetTitles: Record<FacetName, string> = { team: "Owner", tier: "Tier", lifecycle: "Lifecycle", tag: "Tags" };

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

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
  const searchParams = useSearchParams();
  // The URL is the source of truth: after Back, Next may restore this page with the props of an earlier render
  // while the URL holds the filters the reader had chosen.
  const [query, setQuery] = useState<CatalogueQuery>(() => readCatalogueQuery(new URLSearchParams(searchParams.toString())));
  const [text, setText] = useState(query.q);
  const [highlighted, setHighlighted] = useState(-1);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  const [initialListKey] = useState(() => catalogueQueryString(initialQuery));
  const [initialFacetKey] = useState(() => catalogueQueryString(initialQuery, { sort: false }));
  const listKey = catalogueQueryString(query);
  const facetKey = catalogueQueryString(query, { sort: false });

  // Typing updates the field at once and the query after a short pause, so each keystroke is not a request.
  useEffect(() => {
    if (text === query.q) return;
    const timer = setTimeout(() => setQuery((q) => ({ ...q, q: text })), searchDebounceMs);
    return () => clearTimeout(timer);
  }, [text, query.q]);

  // The URL mirrors the view. The native History API (which Next's router observes) replaces the entry without
  // asking the server to render the page again: the browser already fetches what it needs.
  const pendingUrlKeys = useRef<string[]>([]);
  useEffect(() => {
    const search = listKey ? `?${listKey}` : "";
    if (window.location.search === search) return;
    pendingUrlKeys.current.push(listKey);
    window.history.replaceState(null, "", `${window.location.pathname}${search}`);
  }, [listKey]);

  // A navigation to this page with other parameters (the "Catalogue" link, a link from a team page) keeps this
  // component mounted: adopt the URL's view, unless the URL is one this component wrote itself.
  const urlKey = catalogueQueryString(readCatalogueQuery(new URLSearchParams(searchParams.toString())));
  useEffect(() => {
    const pending = pendingUrlKeys.current.indexOf(urlKey);
    if (pending >= 0) {
      pendingUrlKeys.current.splice(0, pending + 1);
      return;
    }
    const fromUrl = readCatalogueQuery(new URLSearchParams(window.location.search));
    setQuery((current) => (catalogueQueryString(current) === urlKey ? current : fromUrl));
    setText((current) => (current.trim() === fromUrl.q.trim() ? current : fromUrl.q));
    // Only a change of the URL should trigger this, not every change of the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlKey]);

  useEffect(() => setHighlighted(-1), [listKey]);

  const searchTooLong = query.q.trim().length > maxSearchLength;

  const services = useInfiniteQuery({
    queryKey: ["services", listKey],
    enabled: !searchTooLong,
    queryFn: ({ pageParam, signal }) => fetchServicePage(listKey, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: listKey === initialListKey ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
  });

  const facets = useQuery({
    queryKey: ["service-facets", facetKey],
    queryFn: ({ signal }) => fetchFacets(facetKey, signal),
    enabled: !searchTooLong,
    initialData: facetKey === initialFacetKey ? initialFacets : undefined,
    placeholderData: keepPreviousData,
  });

  const items = useMemo(() => services.data?.pages.flatMap((p) => p.items) ?? [], [services.data]);

  // Which version runs in each environment, beside every listed service; refreshed while the page is open.
  const versionNames = useMemo(() => items.filter((s) => s.kind === "component").map((s) => s.name), [items]);
  const versionKey = versionNames.join(",");
  const [initialVersionKey] = useState(() =>
    initialPage.items
      .filter((s) => s.kind === "component")
      .map((s) => s.name)
      .join(","),
  );
  const versions = useQuery({
    queryKey: ["running-versions", versionKey],
    queryFn: ({ signal }) => fetchRunningVersions(versionNames, signal),
    enabled: versionNames.length > 0,
    initialData: initialVersions && versionKey === initialVersionKey ? initialVersions : undefined,
    staleTime: 5_000,
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
    retry: 1,
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

  // Keyboard: "/" focuses search, ↑/↓ (or j/k outside the field) move the highlight, Enter opens, Escape clears.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (document.querySelector("dialog[open]")) return;
      const inSearch = event.target === searchRef.current;
      if (!inSearch && isEditable(event.target)) return;
      const onPage = inSearch || event.target === document.body || (event.target as HTMLElement | null)?.closest?.("[data-catalogue-results]");
      switch (event.key) {
        case "/":
          if (inSearch) return;
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          return;
        case "ArrowDown":
        case "ArrowUp":
          if (!onPage) return;
          event.preventDefault();
          move(event.key === "ArrowDown" ? 1 : -1);
          return;
        case "j":
        case "k":
          if (inSearch || !onPage) return;
          event.preventDefault();
          move(event.key === "j" ? 1 : -1);
          return;
        case "Enter":
          if (!inSearch && event.target !== document.body) return;
          if (highlighted >= 0) open(highlighted);
          else if (inSearch && text.trim() && items.length) open(0);
          else return;
          event.preventDefault();
          return;
        case "Escape":
          if (!inSearch && event.target !== document.body) return;
          if (text) {
            event.preventDefault();
            setText("");
            setQuery((q) => ({ ...q, q: "" }));
          } else if (highlighted >= 0) {
            setHighlighted(-1);
          } else {
            searchRef.current?.blur();
          }
          return;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [move, open, highlighted, text, items.length]);

  // Infinite scroll: fetch the next page as the end of the list comes into view ("Load more" stays as a fallback).
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

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
        <aside
          id="catalogue-filters"
          aria-label="Filters"
          className={cn(
            "md:sticky md:top-16 md:block md:max-h-[calc(100dvh-5rem)] md:self-start md:overflow-y-auto md:pt-[3.25rem] md:pr-1",
            filtersOpen ? "block rounded-lg border border-zinc-200 p-3 md:border-0 md:p-0 dark:border-zinc-800" : "hidden",
            "max-md:order-2",
          )}
        >
          <div className="mb-3 flex items-center justify-between">
            <h2 className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Filters</h2>
            {filterCount > 0 ? (
              <button
                type="button"
                onClick={() => setQuery((q) => ({ ...q, team: [], tier: [], lifecycle: [], tag: [] }))}
                className={cn("rounded text-xs text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100", focusRing)}
              >
                Reset
              </button>
            ) : null}
          </div>
          {facetData ? (
            <div className={cn("space-y-5 transition-opacity", facets.isPlaceholderData && facets.isFetching && "opacity-60")}>
              {facetNames.map((facet) => (
                <FacetList
                  key={facet}
                  title={facetTitles[facet]}
                  hint={facet === "tag" && query.tag.length > 1 ? "match all" : undefined}
                  values={facetData[facet]}
                  selected={query[facet]}
                  onToggle={(value) => toggleFacet(facet, value)}
                  countsAreLowerBounds={facetData.countsAreLowerBounds}
                  renderLabel={facet === "team" ? (v: FacetValue) => v.label : undefined}
                />
              ))}
            </div>
          ) : facets.isError ? (
            <p className="text-xs text-red-600 dark:text-red-400">Filters could not be loaded.</p>
          ) : null}
        </aside>

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

            {chips.length ? (
              <ul className="mb-3 flex flex-wrap items-center gap-1.5" aria-label="Active filters">
                {chips.map((chip) => (
                  <li key={`${chip.facet}:${chip.value}`}>
                    <button
                      type="button"
                      onClick={() => toggleFacet(chip.facet, chip.value)}
                      aria-label={`Remove filter ${chip.facet === "tier" ? "" : `${facetTitles[chip.facet]}: `}${chip.label}`}
                      className={cn(
                        "inline-flex h-6 items-center gap-1 rounded-full bg-indigo-50 pr-1.5 pl-2.5 text-xs text-indigo-800 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-100 dark:bg-indigo-500/15 dark:text-indigo-200 dark:ring-indigo-500/30 dark:hover:bg-indigo-500/25",
                        focusRing,
                      )}
                    >
                      {chip.facet !== "tier" ? <span className="text-indigo-500 dark:text-indigo-300/80">{facetTitles[chip.facet]}:</span> : null}
                      <span className="font-medium">{chip.label}</span>
                      <XIcon size={12} className="ml-0.5 opacity-70" />
                    </button>
                  </li>
                ))}
                <li>
                  <button
                    type="button"
                    onClick={clearFilters}
                    className={cn("ml-1 rounded text-xs font-medium text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100", focusRing)}
                  >
                    Clear all
                  </button>
                </li>
              </ul>
            ) : null}

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
