"use client";

import { durationBetween, formatDuration } from "@/components/ui/time-format";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { AlertIcon, ArrowRightIcon, InboxIcon } from "@/components/ui/icons";
import { Segmented } from "@/components/ui/segmented";
import { HealthLine } from "./checkpoint-evidence";
import { CommitLink } from "./commit-link";
import { Spinner } from "./field";
import { approversOf } from "./format";
import { releasesApi } from "@/components/api/releases";
import { problemMessage, retryUnlessClientError } from "@/components/api/client";
import { EnvironmentBadge, RolloutStateBadge } from "./rollout-badges";
import { Time } from "@/components/ui/time";
import type { RolloutView } from "./types";

type Page = { items: RolloutView[]; nextCursor: string | null };

/**
 * Every rollout of a service, newest first, filterable by environment: who asked, who approved, how long it took,
 * how it ended and why. The first page comes from the server; further pages and filters from the API.
 */
export function DeployHistory({ service, environments, initial }: { service: string; environments: Array<{ name: string; title: string }>; initial: Page }) {
  const [environment, setEnvironment] = useState("");
  const queryClient = useQueryClient();
  // The page refreshes itself when a rollout ends (see InFlightStatus): its newer first page replaces the cached one,
  // so the history never shows a finished rollout as still approved.
  useEffect(() => {
    queryClient.setQueryData(["releases", "history", service, ""], { pages: [initial], pageParams: [null] });
    void queryClient.invalidateQueries({ queryKey: ["releases", "history", service], predicate: (q) => q.queryKey[3] !== "" });
  }, [initial, service, queryClient]);
  const query = useInfiniteQuery({
    queryKey: ["releases", "history", service, environment],
    queryFn: async ({ pageParam, signal }): Promise<Page> => {
      const page = await releasesApi.deploys(service, { environment: environment || undefined, cursor: pageParam ?? undefined, limit: 50 }, signal);
      return { items: page.history, nextCursor: page.nextCursor };
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    ...(environment === "" ? { initialData: { pages: [initial], pageParams: [null] } } : {}),
    staleTime: 15_000,
    retry: retryUnlessClientError,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="history-title" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <div>
          <h2 id="history-title" className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
            Deploy history
          </h2>
          <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">Every rollout and rollback, newest first</p>
        </div>
        <Segmented
          label="Environment"
          value={environment}
          onChange={setEnvironment}
          options={[{ value: "", label: "All" }, ...environments.map((e) => ({ value: e.name, label: e.title }))]}
        />
      </header>

      {query.isPending ? (
        <div className="flex items-center justify-center gap-2 py-12 text-[13px] text-zinc-500" role="status">
          <Spinner /> Loading the history…
        </div>
      ) : query.isError && !rows.length ? (
        <div role="alert" className="flex flex-col items-center px-6 py-10 text-center">
          <AlertIcon size={18} className="text-red-600 dark:text-red-400" />
          <p className="mt-2 text-[13px] text-zinc-700 dark:text-zinc-300">{problemMessage(query.error)}</p>
          <Button size="sm" className="mt-3" onClick={() => void query.refetch()}>
            Try again
          </Button>
        </div>
      ) : !rows.length ? (
        <EmptyState
          icon={<InboxIcon size={18} />}
          title={environment ? `No rollouts to ${environments.find((e) => e.name === environment)?.title ?? environment} yet` : "No rollouts yet"}
          description="When CI registers a release, staging receives it automatically and the rollout appears here."
        />
      ) : (
        <>
          <div
            className={cn("hidden overflow-x-auto md:block", query.isFetching && !query.isFetchingNextPage && "opacity-60")}
            tabIndex={0}
            role="region"
            aria-label="Deploy history"
          >
            <table className="w-full text-left text-[13px]">
              <caption className="sr-only">Deploy history of {service}</caption>
              <thead className="text-[11px] tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                <tr className="border-b border-zinc-200 dark:border-zinc-800">
                  {["Version", "Environment", "Commit", "Requested by", "Approved by", "Started", "Finished", "Duration", "Outcome", "Failure reason"].map(
                    (h) => (
                      <th key={h} scope="col" className={cn("px-3 py-2 font-medium whitespace-nowrap first:pl-4", h === "Duration" && "text-right")}>
                        {h}
                      </th>
                    ),
                  )}
                  <th scope="col" className="px-3 py-2 pr-4">
                    <span className="sr-only">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
                {rows.map((r) => (
                  <HistoryRow key={r.id} rollout={r} />
                ))}
              </tbody>
            </table>
          </div>
          <ul className="divide-y divide-zinc-100 md:hidden dark:divide-zinc-800">
            {rows.map((r) => (
              <HistoryItem key={r.id} rollout={r} />
            ))}
          </ul>
          {query.hasNextPage ? (
            <div className="border-t border-zinc-200 px-4 py-2.5 text-center dark:border-zinc-800">
              <Button size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? <Spinner /> : null}
                Show older rollouts
              </Button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function duration(r: RolloutView): string {
  const ms = durationBetween(r.startedAt ?? r.approvedAt, r.finishedAt);
  return ms === null ? "—" : formatDuration(ms);
}

function HistoryRow({ rollout: r }: { rollout: RolloutView }) {
  const approvers = approversOf(r);
  return (
    <tr className="group relative align-top transition-colors hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
      <td className="px-3 py-2 pl-4 whitespace-nowrap">
        <Link
          href={`/rollouts/${r.id}`}
          className={cn("rounded font-mono font-semibold text-zinc-900 after:absolute after:inset-0 dark:text-zinc-100", focusRing)}
        >
          {r.release.version}
        </Link>
        {r.kind === "rollback" ? (
          <Badge tone="violet" className="ml-1.5">
            rollback
          </Badge>
        ) : null}
      </td>
      <td className="px-3 py-2">
        <EnvironmentBadge environment={r.environment} />
      </td>
      <td className="relative z-10 px-3 py-2">
        <CommitLink release={r.release} icon={false} />
      </td>
      <td className="px-3 py-2 whitespace-nowrap text-zinc-700 dark:text-zinc-300">{r.requestedBy}</td>
      <td className="max-w-[12rem] truncate px-3 py-2 text-zinc-700 dark:text-zinc-300" title={approvers.join(", ")}>
        {approvers.length ? approvers.join(", ") : <span className="text-zinc-400 dark:text-zinc-500">{r.checkpoints.length ? "—" : "no checkpoint"}</span>}
      </td>
      <td className="px-3 py-2 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{r.startedAt ? <Time iso={r.startedAt} format="datetime" /> : "—"}</td>
      <td className="px-3 py-2 whitespace-nowrap text-zinc-600 dark:text-zinc-400">{r.finishedAt ? <Time iso={r.finishedAt} format="datetime" /> : "—"}</td>
      <td className="px-3 py-2 text-right font-mono text-[12px] whitespace-nowrap text-zinc-700 tabular-nums dark:text-zinc-300">{duration(r)}</td>
      <td className="px-3 py-2">
        <RolloutStateBadge state={r.state} />
      </td>
      <td className="relative z-10 max-w-[18rem] px-3 py-2">
        {r.failureReason ? (
          <p className="truncate text-[12px] text-red-700 dark:text-red-300" title={r.failureReason} tabIndex={0}>
            {r.failureReason}
          </p>
        ) : r.health ? null : (
          <span className="text-zinc-300 dark:text-zinc-700">—</span>
        )}
        {r.health ? (
          <div className="truncate text-[12px]" title={r.health.summary}>
            <HealthLine health={r.health} />
          </div>
        ) : null}
      </td>
      <td className="px-3 py-2 pr-4 text-right">
        <ArrowRightIcon
          size={14}
          className="inline text-zinc-300 transition-colors group-hover:text-zinc-600 dark:text-zinc-600 dark:group-hover:text-zinc-300"
        />
      </td>
    </tr>
  );
}

function HistoryItem({ rollout: r }: { rollout: RolloutView }) {
  const approvers = approversOf(r);
  return (
    <li className="relative px-4 py-3">
      <div className="flex flex-wrap items-center gap-2">
        <Link
          href={`/rollouts/${r.id}`}
          className={cn("rounded font-mono text-[14px] font-semibold text-zinc-900 after:absolute after:inset-0 dark:text-zinc-100", focusRing)}
        >
          {r.release.version}
        </Link>
        {r.kind === "rollback" ? <Badge tone="violet">rollback</Badge> : null}
        <EnvironmentBadge environment={r.environment} />
        <RolloutStateBadge state={r.state} className="ml-auto" />
      </div>
      <p className="mt-1 text-[12px] text-zinc-600 dark:text-zinc-400">
        {r.requestedBy}
        {approvers.length ? ` · approved by ${approvers.join(", ")}` : ""} · <Time iso={r.createdAt} /> · {duration(r)}
      </p>
      {r.failureReason ? <p className="mt-1 line-clamp-2 text-[12px] text-red-700 dark:text-red-300">{r.failureReason}</p> : null}
      {r.health ? (
        <div className="text-[12px]">
          <HealthLine health={r.health} />
        </div>
      ) : null}
    </li>
  );
}
