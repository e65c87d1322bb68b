"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Segmented } from "@/components/ui/segmented";
import { Select } from "@/components/ui/select";
import { AlertIcon } from "@/components/ui/icons";
import { streamEvent, useEventStream } from "@/components/api/use-event-stream";
import { deployMarkerSchema } from "@/server/releases/contract";
import { z } from "zod";
import { fetchAlerts, fetchErrorRate, fetchMetrics } from "./metrics-api";
import { markerColour } from "./metric-chart";
import { rangeChoices, refreshChoices, toLocalInput, windowFromParams, type RefreshChoice } from "./time-range";
import type { DeployMarker, MetricPanel, MetricsView, ServiceAlert } from "./types";

// recharts is large: it loads with this tab only.
const MetricChart = dynamic(() => import("./metric-chart"), {
  ssr: false,
  loading: () => <div className="h-[180px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />,
});

type Environment = { name: string; title: string; production: boolean };

const stateLabel: Record<string, string> = {
  succeeded: "succeeded",
  failed: "failed",
  rolled_back: "rolled back",
  progressing: "rolling out",
  applying: "applying",
};

/**
 * The Metrics tab: the service's panels for one environment and time range (both in the URL, so a view can be shared),
 * every deploy of that environment drawn on every chart, firing alerts on top. New deploys arrive over a stream.
 */
export function MetricsTab({ service, environments }: { service: string; environments: Environment[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const environment = environments.find((e) => e.name === params.get("environment"))?.name ?? environments.at(-1)?.name ?? "production";
  const refresh = (refreshChoices.find((c) => c.value === params.get("refresh"))?.value ?? "1m") as RefreshChoice;
  // `t`: the chart point clicked, epoch milliseconds (shared with the URL, and the Logs tab's link).
  const selectedParam = Number(params.get("t"));
  const selected = Number.isFinite(selectedParam) && selectedParam > 0 ? selectedParam : null;
  const windowKey = params.get("from") && params.get("to") ? `${params.get("from")}..${params.get("to")}` : (params.get("range") ?? "1h");

  const setParams = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      router.replace(`${pathname}?${next}`, { scroll: false });
    },
    [params, pathname, router],
  );

  // Points per series follow the panels' width, as Grafana sizes its step.
  const grid = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(700);
  useEffect(() => {
    const el = grid.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const columns = window.matchMedia("(min-width: 1024px)").matches ? 2 : 1;
      setWidth(Math.max(300, Math.round(entry!.contentRect.width / columns / 100) * 100));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const refreshMs = refreshChoices.find((c) => c.value === refresh)!.ms;
  const metrics = useQuery({
    queryKey: ["metrics", service, environment, windowKey, width],
    queryFn: ({ signal }) => {
      const w = windowFromParams(params, new Date());
      return fetchMetrics(service, { environment, from: w.from, to: w.to, width }, signal);
    },
    refetchInterval: refreshMs || false,
    placeholderData: (previous) => previous,
  });
  const alerts = useQuery({
    queryKey: ["alerts", service, environment],
    queryFn: ({ signal }) => fetchAlerts(service, environment, signal),
    refetchInterval: refreshMs || 60_000,
  });

  // Deploy markers stream in as rollouts change state, without waiting for the next refresh.
  const [liveMarkers, setLiveMarkers] = useState<{ key: string; markers: DeployMarker[] } | null>(null);
  useEventStream(`/api/v1/services/${encodeURIComponent(service)}/metrics/stream?environment=${encodeURIComponent(environment)}`, {
    markers: streamEvent(z.array(deployMarkerSchema), (markers) => setLiveMarkers({ key: environment, markers })),
  });

  const view = metrics.data;
  const from = view?.from ?? 0;
  const to = view?.to ?? 0;

  // Error log lines per minute over the same range, counted by the log store; no panel without one.
  const errorRate = useQuery({
    queryKey: ["error-rate", service, environment, from, to],
    queryFn: ({ signal }) => fetchErrorRate(service, { environment, from, to }, signal),
    enabled: to > 0,
    placeholderData: (previous) => previous,
  });
  const errorPanel = useMemo((): MetricPanel | null => {
    const data = errorRate.data;
    if (!data || data.errors.some((e) => e.code === "not_configured")) return null;
    const failed = data.points.length === 0 ? data.errors[0] : undefined;
    return {
      id: "log-error-rate",
      title: "Error log lines per minute",
      unit: "count",
      origin: "template",
      series: [{ labels: { legend: "error lines / min" }, points: data.points }],
      error: failed ? { code: "unavailable", message: `Error lines could not be counted: ${failed.message}` } : null,
    };
  }, [errorRate.data]);

  /** The Logs tab for [t - half, t + half], with the pod or container a series names. */
  const logsAt = useCallback(
    (t: number, halfMs: number, labels: Record<string, string>, levels: string[] = []) => {
      const query = new URLSearchParams({ environment, from: new Date(t - halfMs).toISOString(), to: new Date(t + halfMs).toISOString() });
      if (labels.pod) query.set("pod", labels.pod);
      if (labels.container) query.set("container", labels.container);
      for (const level of levels) query.append("level", level);
      return `/services/${encodeURIComponent(service)}/logs?${query}`;
    },
    [service, environment],
  );
  // A rate at t covers the rate window before it (at least a minute with the usual 15 s scrape), so never under ±60 s.
  const pointHalfWidth = Math.max(60, view?.step ?? 60) * 1000;
  const relative = !(params.get("from") && params.get("to"));
  const markers = useMemo(() => {
    const all = liveMarkers?.key === environment ? liveMarkers.markers : (view?.markers ?? []);
    // A range that ends "now" keeps every deploy since its start, including one newer than the last fetch.
    return all.filter((m) => {
      const t = new Date(m.startedAt).getTime();
      return t >= from && (relative || t <= to);
    });
  }, [liveMarkers, view, environment, from, to, relative]);
  // A deploy after the charts' end: fetch again so the charts reach it (instead of waiting for the next refresh).
  const { refetch } = metrics;
  const newest = markers.reduce((max, m) => Math.max(max, new Date(m.startedAt).getTime()), 0);
  useEffect(() => {
    if (relative && view && newest > view.to + view.step * 1000) void refetch();
  }, [newest, relative, view, refetch]);

  const absolute = windowFromParams(params, new Date());
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        {environments.length > 1 ? (
          <Segmented
            label="Environment"
            options={environments.map((e) => ({ value: e.name, label: e.title }))}
            value={environment}
            onChange={(v) => setParams({ environment: v, t: null })}
          />
        ) : null}
        <label className="flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
          Range
          <Select
            aria-label="Time range"
            value={absolute.relative ?? "custom"}
            onChange={(e) =>
              e.target.value === "custom"
                ? setParams({ from: absolute.from.toISOString(), to: absolute.to.toISOString(), range: null })
                : setParams({ range: e.target.value, from: null, to: null, t: null })
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
        {absolute.relative === null ? (
          <div className="flex flex-wrap items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
            <label className="flex items-center gap-1">
              From
              <input
                type="datetime-local"
                className="h-7 rounded-md px-2 ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
                defaultValue={toLocalInput(absolute.from)}
                onBlur={(e) => e.target.value && setParams({ from: new Date(e.target.value).toISOString() })}
              />
            </label>
            <label className="flex items-center gap-1">
              To
              <input
                type="datetime-local"
                className="h-7 rounded-md px-2 ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
                defaultValue={toLocalInput(absolute.to)}
                onBlur={(e) => e.target.value && setParams({ to: new Date(e.target.value).toISOString() })}
              />
            </label>
          </div>
        ) : null}
        <label className="flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
          Refresh
          <Select aria-label="Auto-refresh" value={refresh} onChange={(e) => setParams({ refresh: e.target.value })}>
            {refreshChoices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </Select>
        </label>
        <p className="ml-auto text-[12px] text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {metrics.isFetching ? "Updating…" : view && view.step ? `Step ${view.step} s · to ${new Date(view.to).toLocaleTimeString()}` : null}
        </p>
      </div>

      <AlertsBanner
        alerts={alerts.data?.alerts ?? []}
        error={alerts.data?.errors[0]?.message ?? (alerts.error ? String((alerts.error as Error).message) : null)}
      />

      {view && view.errors.length ? (
        <EmptyState
          icon={<AlertIcon size={18} />}
          title={view.source.configured ? "Some metrics could not be read" : `No metrics source is configured for ${environment}`}
          description={
            <>
              {view.errors.map((e) => e.message).join(" ")} Anything that speaks the Prometheus HTTP API works (Prometheus, Thanos, Mimir, VictoriaMetrics); the
              README&apos;s Metrics section shows how to add one.
            </>
          }
        />
      ) : null}
      {metrics.error && !view ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 dark:bg-red-950/50 dark:text-red-200">
          {(metrics.error as Error).message}
        </p>
      ) : null}
      {view?.source.demo ? (
        <p className="text-[12px] text-zinc-600 dark:text-zinc-400">
          <Badge tone="amber">Demo data</Badge> generated to match the simulated clusters, not read from a Prometheus.
        </p>
      ) : null}

      {selected !== null && view ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-3 py-2 text-[13px] text-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-100">
          <span>
            Selected <time dateTime={new Date(selected).toISOString()}>{new Date(selected).toLocaleString()}</time>
          </span>
          <Link className="font-medium underline" href={logsAt(selected, pointHalfWidth, {})}>
            Logs around this moment
          </Link>
          <button type="button" className="ml-auto underline" onClick={() => setParams({ t: null })}>
            Clear
          </button>
        </div>
      ) : null}

      <div ref={grid} className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {(view?.panels ?? []).map((panel) => (
          <PanelCard
            key={panel.id}
            panel={panel}
            markers={markers}
            from={from}
            to={to}
            selected={selected}
            onSelect={(t, labels) => router.push(logsAt(t, pointHalfWidth, labels))}
          />
        ))}
        {errorPanel && view ? (
          <PanelCard
            panel={errorPanel}
            markers={markers}
            from={from}
            to={to}
            selected={selected}
            onSelect={(t) => router.push(logsAt(t, errorRate.data?.intervalMs ?? 60_000, {}, ["error", "fatal"]))}
          />
        ) : null}
      </div>

      {view?.panels.length ? <p className="text-[12px] text-zinc-600 dark:text-zinc-400">A click on a chart point opens the logs around that moment.</p> : null}
      {view ? <DeployLegend markers={markers} service={service} environment={environment} /> : null}
    </div>
  );
}

function PanelCard({
  panel,
  markers,
  from,
  to,
  selected,
  onSelect,
}: {
  panel: MetricPanel;
  markers: DeployMarker[];
  from: number;
  to: number;
  selected: number | null;
  onSelect: (t: number, labels: Record<string, string>) => void;
}) {
  const empty = !panel.error && panel.series.every((s) => s.points.length === 0);
  return (
    <Card aria-label={panel.title}>
      <CardHeader
        title={panel.title}
        actions={
          panel.link ? (
            <a href={panel.link} target="_blank" rel="noreferrer" className="text-[12px] text-indigo-700 underline dark:text-indigo-300">
              Open in {hostOf(panel.link)}
            </a>
          ) : null
        }
      />
      <CardBody className="text-zinc-700 dark:text-zinc-300">
        {panel.error ? (
          <p role="status" className="flex h-[180px] items-center justify-center px-4 text-center text-[13px] text-red-700 dark:text-red-300">
            {panel.error.message}
          </p>
        ) : empty ? (
          <p className="flex h-[180px] items-center justify-center text-[13px] text-zinc-600 dark:text-zinc-400">No data in this range.</p>
        ) : (
          <MetricChart panel={panel} markers={markers} from={from} to={to} selected={selected} onSelect={onSelect} />
        )}
      </CardBody>
    </Card>
  );
}

function hostOf(link: string): string {
  try {
    return new URL(link).host;
  } catch {
    return "Prometheus";
  }
}

function AlertsBanner({ alerts, error }: { alerts: ServiceAlert[]; error: string | null }) {
  if (error) return <p className="text-[12px] text-amber-800 dark:text-amber-300">Alerts could not be read: {error}</p>;
  if (!alerts.length) return null;
  return (
    <section aria-label="Alerts" className="space-y-1.5">
      {alerts.map((a, i) => (
        <p
          key={`${a.name}-${i}`}
          className={cn(
            "flex flex-wrap items-center gap-2 rounded-md px-3 py-2 text-[13px]",
            a.state === "firing"
              ? "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-100"
              : "bg-amber-50 text-amber-900 dark:bg-amber-950/50 dark:text-amber-100",
          )}
        >
          <Badge tone={a.state === "firing" ? "red" : "amber"}>{a.state}</Badge>
          <strong className="font-semibold">{a.name}</strong>
          {a.labels.severity ? <span>({a.labels.severity})</span> : null}
          {a.annotations.summary ? <span>{a.annotations.summary}</span> : null}
          {a.activeAt ? <span className="ml-auto text-[12px]">since {new Date(a.activeAt).toLocaleString()}</span> : null}
        </p>
      ))}
    </section>
  );
}

function DeployLegend({ markers, service, environment }: { markers: DeployMarker[]; service: string; environment: string }) {
  if (!markers.length) return <p className="text-[12px] text-zinc-600 dark:text-zinc-400">No deploys in this range.</p>;
  return (
    <section aria-label="Deploys in this range">
      <h2 className="mb-1.5 text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">Deploys in this range</h2>
      <ul className="space-y-1 text-[13px]">
        {markers.map((m) => (
          <li key={m.rolloutId} className="flex flex-wrap items-center gap-2">
            <span aria-hidden className="inline-block h-3 w-0.5" style={{ background: markerColour[m.state] ?? "#71717a" }} />
            <Link href={`/rollouts/${m.rolloutId}`} className="font-mono text-indigo-700 underline dark:text-indigo-300">
              {m.kind === "rollback" ? "rollback to " : ""}
              {m.version}
            </Link>
            <span className="text-zinc-700 dark:text-zinc-300">{stateLabel[m.state] ?? m.state.replace(/_/g, " ")}</span>
            <span className="text-zinc-600 dark:text-zinc-400">
              <time dateTime={m.startedAt}>{new Date(m.startedAt).toLocaleString()}</time> · requested by {m.requestedBy}
              {m.approvedBy.length ? ` · approved by ${m.approvedBy.join(", ")}` : ""}
            </span>
            <Link
              href={`/services/${encodeURIComponent(service)}/logs?${new URLSearchParams({
                environment,
                rollout: m.rolloutId,
                from: m.startedAt,
                // Until now (a crash-looping release keeps writing the error it dies of), within a search's 31 days.
                to: new Date(Math.min(Math.max(Date.now(), Date.parse(m.startedAt) + 30 * 60_000), Date.parse(m.startedAt) + 30 * 86_400_000)).toISOString(),
              })}`}
              className="text-indigo-700 underline dark:text-indigo-300"
            >
              Logs of its new pods
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export type { MetricsView };
