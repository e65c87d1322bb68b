"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { FILTERABLE_LEVELS, MAX_EXPORT_LINES, logsProblemSchema, type FilterableLevel, type LogLine, type LogsProblem } from "@/server/logs/contract";
import { logTailBatchSchema } from "@/components/api/logs";
import { streamEvent, useEventStream } from "@/components/api/use-event-stream";
import { rangeChoices, toLocalInput, windowFromParams } from "@/components/metrics/time-range";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { Input } from "@/components/ui/input";
import { SearchIcon } from "@/components/ui/icons";
import { Segmented } from "@/components/ui/segmented";
import { Select } from "@/components/ui/select";
import { ContextDialog } from "./context-dialog";
import { LogList } from "./log-list";
import { levelStyle, viewFromParams } from "./log-view";
import { exportHref, fetchLogPage, streamHref } from "./logs-api";
import { PodLogsPanel } from "./pod-logs-panel";
import { NotConfigured, ProblemList } from "./problem-list";

type Environment = { name: string; title: string; production: boolean };
type Window = { from: string; to: string };
type PageParam = (Window & { cursor: string }) | null;

/** Lines kept from the live tail; the oldest go first past it, as a terminal's scrollback does. */
const MAX_TAIL_LINES = 10_000;

/**
 * The Logs tab: a service's lines in one environment, newest first, from the environment's log store. Every filter
 * lives in the URL (the Metrics tab links here for a chart point with environment, from, to, pod and container).
 * Older lines page in through the cursor; the live tail streams new ones in above and can be paused.
 */
export function LogsTab({ service, environments }: { service: string; environments: Environment[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const view = viewFromParams(
    new URLSearchParams(params.toString()),
    environments.map((e) => e.name),
  );
  const windowKey = params.get("from") && params.get("to") ? `${params.get("from")}..${params.get("to")}` : (params.get("range") ?? "1h");
  const absolute = windowFromParams(new URLSearchParams(params.toString()), new Date());
  const filterKey = [view.environment, view.q, view.pod, view.container, view.levels.join(","), view.rollout].join("|");

  const setParams = useCallback(
    (changes: Record<string, string | string[] | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        next.delete(k);
        if (Array.isArray(v)) for (const item of v) next.append(k, item);
        else if (v !== null && v !== "") next.set(k, v);
      }
      router.replace(`${pathname}?${next}`, { scroll: false });
    },
    [params, pathname, router],
  );

  const [refreshes, setRefreshes] = useState(0);
  const pages = useInfiniteQuery({
    queryKey: ["logs", service, filterKey, windowKey, refreshes],
    initialPageParam: null as PageParam,
    queryFn: async ({ pageParam, signal }) => {
      // Later pages keep the first page's window: the cursor belongs to that exact search.
      const w = pageParam
        ? { from: new Date(pageParam.from), to: new Date(pageParam.to) }
        : windowFromParams(new URLSearchParams(params.toString()), new Date());
      const page = await fetchLogPage(service, view, w, pageParam?.cursor ?? null, signal);
      return { ...page, from: w.from.toISOString(), to: w.to.toISOString() };
    },
    getNextPageParam: (last): PageParam | undefined => (last.nextCursor ? { cursor: last.nextCursor, from: last.from, to: last.to } : undefined),
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });

  // Live tail: lines newer than the first page, newest first; `position` is where a paused tail resumes.
  const [live, setLive] = useState(false);
  const [tailLines, setTailLines] = useState<LogLine[]>([]);
  const [tailProblem, setTailProblem] = useState<LogsProblem | null>(null);
  const [tailTruncated, setTailTruncated] = useState(false);
  const position = useRef<number | null>(null);
  const canTail = absolute.relative !== null;
  useEffect(() => {
    // A new query starts over: no tailed lines, no position, not live.
    setTailLines([]);
    setTailProblem(null);
    setTailTruncated(false);
    position.current = null;
  }, [filterKey, windowKey, refreshes, service]);
  useEffect(() => {
    if (!canTail) setLive(false);
  }, [canTail]);

  const firstPage = pages.data?.pages[0];
  const newestLoaded = tailLines[0]?.timestamp ?? firstPage?.lines[0]?.timestamp ?? null;
  // The stream restarts on a new query or a resume, not when a line arrives.
  const streamUrl = useMemo(() => {
    if (!live) return null;
    const since = position.current ?? (newestLoaded ? Date.parse(newestLoaded) : null);
    return streamHref(service, view, since !== null && Number.isFinite(since) ? since : null);
  }, [live, service, filterKey]);
  useEventStream(streamUrl, {
    lines: streamEvent(logTailBatchSchema, (batch) => {
      position.current = batch.position;
      setTailProblem(null);
      if (batch.truncated) setTailTruncated(true);
      if (batch.lines.length) setTailLines((previous) => [...batch.lines.slice().reverse(), ...previous].slice(0, MAX_TAIL_LINES));
    }),
    problem: streamEvent(logsProblemSchema, setTailProblem),
  });

  const lines = useMemo(() => {
    const seen = new Set<string>();
    const all: LogLine[] = [];
    for (const line of [...tailLines, ...(pages.data?.pages.flatMap((p) => p.lines) ?? [])]) {
      if (seen.has(line.id)) continue;
      seen.add(line.id);
      all.push(line);
    }
    return all;
  }, [tailLines, pages.data]);

  const errors = useMemo(() => {
    const all = [...(pages.data?.pages.flatMap((p) => p.errors) ?? []), ...(tailProblem ? [tailProblem] : [])];
    const seen = new Set<string>();
    return all.filter((p) => {
      const k = `${p.code}|${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }, [pages.data, tailProblem]);
  const notConfigured = errors.find((p) => p.code === "not_configured");
  const fromPods = params.get("source") === "pods";
  // The log store's own controls, where there is a store to ask.
  const storeControls = !fromPods && !notConfigured;

  const [wrap, setWrap] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const [contextLine, setContextLine] = useState<LogLine | null>(null);

  // Pods and containers to choose from: those in the loaded lines, and whatever the URL names.
  const pods = useMemo(() => [...new Set([...lines.map((l) => l.pod), ...(view.pod ? [view.pod] : [])])].filter(Boolean).sort(), [lines, view.pod]);
  const containers = useMemo(
    () => [...new Set([...lines.map((l) => l.container), ...(view.container ? [view.container] : [])])].filter(Boolean).sort(),
    [lines, view.container],
  );

  const shownWindow = firstPage ? { from: new Date(firstPage.from), to: new Date(firstPage.to) } : absolute;
  const paused = !live && position.current !== null;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        {environments.length > 1 ? (
          <Segmented
            label="Environment"
            options={environments.map((e) => ({ value: e.name, label: e.title }))}
            value={view.environment}
            onChange={(v) => setParams({ environment: v, pod: null, container: null, rollout: null })}
          />
        ) : null}
        <label className={cn("flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300", fromPods && "hidden")}>
          Range
          <Select
            aria-label="Time range"
            value={absolute.relative ?? "custom"}
            onChange={(e) =>
              e.target.value === "custom"
                ? setParams({ from: absolute.from.toISOString(), to: absolute.to.toISOString(), range: null })
                : setParams({ range: e.target.value, from: null, to: null })
            }
          >
            {rangeChoices.map((c) => (
              <option key={c.value} value={c.value}>
                Last {c.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </Select>
        </label>
        {absolute.relative === null && !fromPods ? (
          <div className="flex flex-wrap items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
            <label className="flex items-center gap-1">
              From
              <input
                key={`from-${absolute.from.getTime()}`}
                type="datetime-local"
                className="h-7 rounded-md px-2 ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
                defaultValue={toLocalInput(absolute.from)}
                onBlur={(e) => e.target.value && setParams({ from: new Date(e.target.value).toISOString() })}
              />
            </label>
            <label className="flex items-center gap-1">
              To
              <input
                key={`to-${absolute.to.getTime()}`}
                type="datetime-local"
                className="h-7 rounded-md px-2 ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
                defaultValue={toLocalInput(absolute.to)}
                onBlur={(e) => e.target.value && setParams({ to: new Date(e.target.value).toISOString() })}
              />
            </label>
          </div>
        ) : null}
        <Segmented
          label="Source"
          options={[
            { value: "store", label: "Log store" },
            { value: "pods", label: "Pod output" },
          ]}
          value={fromPods ? "pods" : "store"}
          onChange={(v) => setParams({ source: v === "pods" ? "pods" : null })}
        />
        {storeControls ? <SearchBox key={view.q} value={view.q} onSearch={(q) => setParams({ q })} /> : null}
      </div>

      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        {!storeControls ? null : (
          <>
            <LevelFilter levels={view.levels} onChange={(levels) => setParams({ level: levels })} />
            <label className="flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
              Pod
              <Select aria-label="Pod" value={view.pod} onChange={(e) => setParams({ pod: e.target.value || null })} className="max-w-[14rem]">
                <option value="">All pods</option>
                {pods.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </Select>
            </label>
            <label className="flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
              Container
              <Select aria-label="Container" value={view.container} onChange={(e) => setParams({ container: e.target.value || null })}>
                <option value="">All containers</option>
                {containers.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            </label>
          </>
        )}
        {storeControls && view.rollout ? (
          <span className="flex items-center gap-2 rounded-md bg-indigo-50 px-2 py-0.5 text-[13px] text-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-100">
            New pods of{" "}
            <a className="font-medium underline" href={`/rollouts/${view.rollout}`}>
              this rollout
            </a>{" "}
            (its release&apos;s image)
            <button type="button" className="underline" onClick={() => setParams({ rollout: null })}>
              All pods
            </button>
          </span>
        ) : null}
        <label className="flex items-center gap-1.5 text-[13px] text-zinc-700 dark:text-zinc-300">
          <Checkbox checked={wrap} onChange={(e) => setWrap(e.target.checked)} />
          Wrap lines
        </label>
        {!storeControls ? null : (
          <div className="ml-auto flex flex-wrap items-center gap-2">
            {live ? (
              <Button size="sm" onClick={() => setLive(false)} aria-pressed>
                <span aria-hidden className="size-2 animate-pulse rounded-full bg-emerald-500" />
                Pause tail
              </Button>
            ) : (
              <Button
                size="sm"
                onClick={() => setLive(true)}
                disabled={!canTail || Boolean(notConfigured)}
                title={canTail ? undefined : "Live tail follows a relative range (Last …)"}
                aria-pressed={false}
              >
                {paused ? "Resume tail" : "Live tail"}
              </Button>
            )}
            <Button size="sm" onClick={() => setRefreshes((n) => n + 1)} disabled={pages.isFetching}>
              Refresh
            </Button>
            <a
              className={buttonClass({ size: "sm" })}
              href={exportHref(service, view, shownWindow)}
              download
              title={`The current filters and range as NDJSON, newest first, at most ${MAX_EXPORT_LINES.toLocaleString("en")} lines`}
            >
              Download NDJSON
            </a>
          </div>
        )}
      </div>

      <p className="flex flex-wrap items-center gap-2 text-[12px] text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {pages.isPending ? (
          "Loading lines…"
        ) : notConfigured || fromPods ? null : (
          <>
            <span>
              {lines.length.toLocaleString("en")} {lines.length === 1 ? "line" : "lines"}, newest first
              {firstPage ? ` · ${new Date(firstPage.from).toLocaleString()} – ${live ? "now" : new Date(firstPage.to).toLocaleString()}` : ""}
            </span>
            {live ? <Badge tone="green">Live</Badge> : paused ? <Badge tone="amber">Tail paused</Badge> : null}
            {tailTruncated ? <span>Some lines were skipped: more arrived than the tail carries. Narrow the filters.</span> : null}
            {pages.isFetching && !pages.isFetchingNextPage ? <span>Updating…</span> : null}
          </>
        )}
      </p>

      {pages.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 dark:bg-red-950/50 dark:text-red-200">
          {(pages.error as Error).message}
        </p>
      ) : null}
      <ProblemList problems={errors} environment={view.environment} />

      {fromPods ? (
        <PodLogsPanel service={service} environment={view.environment} wrap={wrap} />
      ) : notConfigured ? (
        <>
          <NotConfigured environment={view.environment} />
          <PodLogsPanel service={service} environment={view.environment} wrap={wrap} />
        </>
      ) : (
        <LogList
          label="Log lines, newest first"
          lines={lines}
          wrap={wrap}
          expanded={expanded}
          onToggle={toggle}
          onContext={setContextLine}
          className="h-[calc(100dvh-330px)] min-h-[360px]"
          footer={
            <div className="flex items-center justify-center gap-3 border-t border-zinc-100 px-3 py-3 text-[13px] text-zinc-600 dark:border-zinc-900 dark:text-zinc-400">
              {pages.hasNextPage ? (
                <Button size="sm" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                  {pages.isFetchingNextPage ? "Loading older lines…" : "Load older lines"}
                </Button>
              ) : pages.isPending ? null : lines.length ? (
                <span>The start of the range.</span>
              ) : errors.length ? null : (
                <span>No lines match in this range. Widen the range or clear a filter.</span>
              )}
            </div>
          }
        />
      )}

      <ContextDialog service={service} environment={view.environment} line={contextLine} onClose={() => setContextLine(null)} />
    </div>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form
      role="search"
      className="flex min-w-[14rem] flex-1 items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(text.trim());
      }}
    >
      <Input
        aria-label="Search the messages"
        type="search"
        placeholder="Search messages"
        title="Plain text, matched against the message; not a query language"
        leading={<SearchIcon size={14} />}
        className="flex-1"
        value={text}
        maxLength={512}
        onChange={(e) => setText(e.target.value)}
      />
      <Button size="md" type="submit">
        Search
      </Button>
    </form>
  );
}

function LevelFilter({ levels, onChange }: { levels: FilterableLevel[]; onChange: (levels: FilterableLevel[]) => void }) {
  return (
    <div role="group" aria-label="Levels" className="flex flex-wrap items-center gap-1">
      <span className="mr-1 text-[13px] text-zinc-600 dark:text-zinc-300">Level</span>
      {FILTERABLE_LEVELS.map((level) => {
        const on = levels.includes(level);
        return (
          <button
            key={level}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? levels.filter((l) => l !== level) : [...levels, level])}
            className={cn(
              "h-6 rounded px-2 font-mono text-[11px] font-medium ring-1 ring-inset",
              focusRing,
              on
                ? "bg-zinc-900 text-white ring-zinc-900 dark:bg-zinc-100 dark:text-zinc-900 dark:ring-zinc-100"
                : "bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-300 dark:ring-zinc-700 dark:hover:bg-zinc-800",
            )}
          >
            {levelStyle[level].label}
          </button>
        );
      })}
    </div>
  );
}
