"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { XIcon, DownloadIcon, ScrollIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { problemMessage, retryUnlessClientError } from "@/components/api/client";
import { formatDateTime } from "@/components/ui/time-format";
import { useIsClient } from "@/components/identity/use-is-client";
import { Alert } from "@/components/identity/ui/alert";
import { Spinner } from "@/components/identity/ui/spinner";
import type { AuditPage } from "@/server/audit/contract";
import { auditExportHref, fetchAuditPage } from "@/components/api/audit";
import { AuditEventTable } from "./audit-event-table";
import { AuditFilterBar } from "./audit-filter-bar";
import {
  activeAuditFilterCount,
  auditFilterNames,
  auditFiltersFrom,
  auditQueryString,
  emptyAuditFilters,
  groupParam,
  type AuditFilters,
} from "./audit-filters";
import { ChainIntegrityPanel } from "./chain-integrity-panel";
import { RolloutGroups } from "./rollout-groups";

const filterLabels: Record<keyof AuditFilters, string> = {
  actor: "Actor",
  action: "Action",
  targetType: "Target type",
  target: "Target",
  environment: "Environment",
  outcome: "Outcome",
  since: "Since",
  until: "Until",
};

/** A URL instant in local time; a hand-typed value that is not one stays as typed (the API explains what is wrong). */
function instantLabel(value: string): string {
  return Number.isNaN(new Date(value).getTime()) ? value : formatDateTime(new Date(value).toISOString(), undefined, true);
}

function TableSkeleton() {
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800" aria-hidden>
      <div className="h-9 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 border-t border-zinc-100 px-4 py-3 first:border-t-0 dark:border-zinc-800">
          <Skeleton className="h-4 w-36" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="hidden h-4 w-28 sm:block" />
          <Skeleton className="hidden h-4 w-40 md:block" />
          <Skeleton className="ml-auto hidden h-4 w-20 md:block" />
        </div>
      ))}
    </div>
  );
}

/**
 * The audit trail for auditors: integrity first, then filters kept in the URL (so a view can be linked to, and Back
 * works), the events with what each changed, older pages on demand, and exports of exactly what is filtered.
 */
export function AuditTrail({ initialQueryString, initialPage }: { initialQueryString: string; initialPage: AuditPage | null }) {
  const searchParams = useSearchParams();
  const client = useIsClient();
  const filters = auditFiltersFrom(searchParams);
  const queryString = auditQueryString(filters);
  const count = activeAuditFilterCount(filters);
  const grouped = searchParams.get(groupParam) === "rollout";

  const events = useInfiniteQuery({
    queryKey: ["audit", "events", queryString],
    queryFn: ({ pageParam, signal }) => fetchAuditPage(queryString, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: queryString === initialQueryString && initialPage ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    retry: retryUnlessClientError,
  });

  const location = (search: string, group: boolean) => {
    const params = new URLSearchParams(search);
    if (group) params.set(groupParam, "rollout");
    return params.size ? `/audit?${params}` : "/audit";
  };
  const apply = (next: AuditFilters) => {
    const search = auditQueryString(next);
    if (search === queryString) return void events.refetch();
    window.history.pushState(null, "", location(search, grouped));
  };
  const setGrouped = (group: boolean) => window.history.pushState(null, "", location(queryString, group));
  const narrow = (patch: Partial<AuditFilters>) => {
    apply({ ...filters, ...patch });
    window.scrollTo({ top: 0, behavior: "smooth" });
  };

  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const refreshing = events.isPlaceholderData && events.isFetching;
  const timeZone = client ? Intl.DateTimeFormat().resolvedOptions().timeZone : null;
  const serviceTarget = filters.targetType === "service" && filters.target ? filters.target : null;

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-x-6 gap-y-2">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
            Audit trail
            {filters.target ? (
              <span className="font-normal text-zinc-500 dark:text-zinc-400">
                {" "}
                for {filters.targetType || "target"} <span className="font-mono text-zinc-800 dark:text-zinc-200">{filters.target}</span>
              </span>
            ) : null}
          </h1>
          <p className="mt-0.5 max-w-3xl text-[13px] text-zinc-500 dark:text-zinc-400">
            Every change made through Slipway: who, what, to which target, from where. Append-only, and each event is chained to the one before it by its hash.
          </p>
        </div>
        {serviceTarget ? (
          <Link href={`/services/${encodeURIComponent(serviceTarget)}`} className={buttonClass({ size: "sm" })}>
            Open the service
          </Link>
        ) : null}
      </header>

      <ChainIntegrityPanel />

      <AuditFilterBar key={queryString} applied={filters} onApply={apply} />

      {count ? (
        <ul className="flex flex-wrap items-center gap-1.5" aria-label="Active filters">
          {auditFilterNames
            .filter((name) => filters[name])
            .map((name) => (
              <li key={name}>
                <span className="inline-flex h-6 items-center gap-1 rounded-md bg-indigo-50 pr-1 pl-2 text-xs text-indigo-800 ring-1 ring-indigo-200 ring-inset dark:bg-indigo-500/10 dark:text-indigo-200 dark:ring-indigo-500/30">
                  <span className="text-indigo-500 dark:text-indigo-400">{filterLabels[name]}:</span>
                  <span className={name === "since" || name === "until" ? "tabular-nums" : "font-mono"}>
                    {(name === "since" || name === "until") && client ? instantLabel(filters[name]) : filters[name]}
                  </span>
                  <button
                    type="button"
                    onClick={() => apply({ ...filters, [name]: "" })}
                    aria-label={`Remove the ${filterLabels[name].toLowerCase()} filter`}
                    className={cn(
                      "ml-0.5 rounded p-0.5 text-indigo-400 hover:bg-indigo-100 hover:text-indigo-700 dark:hover:bg-indigo-500/20 dark:hover:text-indigo-200",
                      focusRing,
                    )}
                  >
                    <XIcon size={12} />
                  </button>
                </span>
              </li>
            ))}
          <li>
            <button
              type="button"
              onClick={() => apply(emptyAuditFilters)}
              className={cn("ml-1 rounded text-xs text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100", focusRing)}
            >
              Clear all
            </button>
          </li>
        </ul>
      ) : null}

      <section aria-labelledby="audit-events-title" aria-busy={events.isFetching}>
        <div className="mb-2.5 flex flex-wrap items-end justify-between gap-x-4 gap-y-2">
          <div className="min-w-0">
            <h2 id="audit-events-title" className="flex items-center gap-2 text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
              Events
              <span className="font-normal text-zinc-500 dark:text-zinc-400">
                {events.isPending
                  ? "loading…"
                  : `${items.length.toLocaleString("en-GB")}${events.hasNextPage ? "+" : ""}${count ? " matching" : ""}, newest first`}
              </span>
              {refreshing ? <Spinner size={12} className="text-zinc-400" /> : null}
            </h2>
            {timeZone ? (
              <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">Times in your time zone, {timeZone}. Hover a time for the exact instant.</p>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <label className="mr-2 inline-flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300">
              <input
                type="checkbox"
                checked={grouped}
                onChange={(e) => setGrouped(e.target.checked)}
                className={cn("size-3.5 rounded accent-indigo-600", focusRing)}
              />
              Group each rollout&apos;s events
            </label>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">Export{count ? " filtered" : " all"}</span>
            <a href={auditExportHref("jsonl", queryString)} download className={buttonClass({ size: "sm" })}>
              <DownloadIcon size={14} />
              JSON Lines
            </a>
            <a href={auditExportHref("csv", queryString)} download className={buttonClass({ size: "sm" })}>
              <DownloadIcon size={14} />
              CSV
            </a>
          </div>
        </div>

        {events.isError && !events.isFetchingNextPage ? (
          <Alert
            tone="danger"
            title="The audit trail could not be loaded"
            className="mb-3"
            action={
              count ? (
                <button type="button" className={buttonClass({ size: "sm" })} onClick={() => apply(emptyAuditFilters)}>
                  Clear filters
                </button>
              ) : (
                <button type="button" className={buttonClass({ size: "sm" })} onClick={() => void events.refetch()}>
                  Try again
                </button>
              )
            }
          >
            {problemMessage(events.error)}
          </Alert>
        ) : null}

        {events.isPending ? (
          <TableSkeleton />
        ) : items.length ? (
          <div className={cn("transition-opacity", refreshing && "opacity-60")}>
            {grouped ? <RolloutGroups events={items} onFilter={narrow} /> : <AuditEventTable events={items} onFilter={narrow} />}
          </div>
        ) : !events.isError ? (
          <EmptyState
            className="rounded-lg border border-dashed border-zinc-300 dark:border-zinc-700"
            icon={<ScrollIcon size={18} />}
            title={count ? "No events match these filters" : "The audit trail is empty"}
            description={
              count
                ? "Actor, target, environment and outcome match exact values; end an action with * to match a prefix such as token.*. Widen the time range or clear a filter."
                : "Events appear here as soon as anyone signs in or changes something."
            }
            action={
              count ? (
                <button type="button" className={buttonClass()} onClick={() => apply(emptyAuditFilters)}>
                  Clear filters
                </button>
              ) : null
            }
          />
        ) : null}

        {items.length ? (
          <div className="mt-4 flex flex-col items-center gap-2">
            {events.hasNextPage ? (
              <button type="button" className={buttonClass()} onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? <Spinner size={14} /> : null}
                {events.isFetchingNextPage ? "Loading older events…" : "Older events"}
              </button>
            ) : (
              <p className="text-xs text-zinc-500 dark:text-zinc-400">{count ? "No older events match." : "This is the first event ever recorded."}</p>
            )}
            {events.isFetchNextPageError ? <p className="text-xs text-red-600 dark:text-red-400">{problemMessage(events.error)}</p> : null}
          </div>
        ) : null}
      </section>
    </div>
  );
}
