"use client";

import type { Facets, FacetValue } from "@/server/catalogue/contract";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { XIcon } from "@/components/ui/icons";
import { facetNames, type CatalogueQuery, type FacetName } from "./catalogue-query";
import { FacetList } from "./facet-list";

export const facetTitles: Record<FacetName, string> = { team: "Owner", tier: "Tier", lifecycle: "Lifecycle", tag: "Tags" };

/** The facet lists beside the results: hidden behind a button on a narrow screen. */
export function CatalogueFilters({
  query,
  facetData,
  failed,
  refreshing,
  open: filtersOpen,
  filterCount,
  onToggle: toggleFacet,
  onReset,
}: {
  query: CatalogueQuery;
  facetData: Facets | undefined;
  failed: boolean;
  refreshing: boolean;
  open: boolean;
  filterCount: number;
  onToggle: (facet: FacetName, value: string) => void;
  onReset: () => void;
}) {
  return (
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
            onClick={onReset}
            className={cn("rounded text-xs text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100", focusRing)}
          >
            Reset
          </button>
        ) : null}
      </div>
      {facetData ? (
        <div className={cn("space-y-5 transition-opacity", refreshing && "opacity-60")}>
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
      ) : failed ? (
        <p className="text-xs text-red-600 dark:text-red-400">Filters could not be loaded.</p>
      ) : null}
    </aside>
  );
}

/** The chosen filters as removable chips, with "Clear all". */
export function ActiveFilterChips({
  chips,
  onRemove: toggleFacet,
  onClearAll: clearFilters,
}: {
  chips: Array<{ facet: FacetName; value: string; label: string }>;
  onRemove: (facet: FacetName, value: string) => void;
  onClearAll: () => void;
}) {
  if (!chips.length) return null;
  return (
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
  );
}
