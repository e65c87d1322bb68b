"use client";

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMetric, formatTick } from "./format-metric";
import type { DeployMarker, MetricPanel } from "./types";

/** Outcome colours of deploy markers: the same on every chart, and named in the legend below the charts. */
export const markerColour: Record<string, string> = {
  succeeded: "#059669",
  failed: "#dc2626",
  rolled_back: "#d97706",
  progressing: "#0284c7",
  applying: "#0284c7",
  approved: "#0284c7",
};

const palette = ["#4f46e5", "#0891b2", "#c026d3", "#65a30d", "#ea580c", "#0d9488", "#db2777", "#7c3aed"];

export function seriesName(labels: Record<string, string>, index: number): string {
  // Templates name their series in a `legend` label ("p95", "limit"); what else tells series apart follows it.
  const { legend, ...rest } = labels;
  const extra = Object.entries(rest).filter(([k]) => k !== "__name__" && k !== "demo" && k !== "replicaset");
  if (legend) return extra.length ? `${legend} (${extra.map(([, v]) => v).join(", ")})` : legend;
  const entries = Object.entries(labels).filter(([k]) => k !== "__name__");
  return entries.length ? entries.map(([k, v]) => (entries.length === 1 ? v : `${k}=${v}`)).join(", ") : `series ${index + 1}`;
}

/** The labels every series with a value at `t` shares: what a click at `t` can say about pod or container. */
export function sharedLabels(series: MetricPanel["series"], t: number): Record<string, string> {
  const present = series.filter((s) => s.points.some(([at, v]) => at === t && v !== null));
  const [first, ...rest] = present;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([k, v]) => rest.every((s) => s.labels[k] === v)));
}

/**
 * One panel's chart. Every chart of the tab shares `syncId`, so hovering one moves the crosshair and tooltip on all;
 * deploys are vertical lines that link to their rollout; a click on a point selects that moment.
 */
export default function MetricChart({
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
  /** Epoch milliseconds of the point clicked, and the labels of its series (those all series there share). */
  onSelect: (epochMs: number, labels: Record<string, string>) => void;
}) {
  const rows = new Map<number, Record<string, number | null>>();
  panel.series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = rows.get(t) ?? { t };
      row[`s${i}`] = v;
      rows.set(t, row);
    }
  });
  const data = [...rows.values()].sort((a, b) => a.t! - b.t!);
  const range = (to - from) / 1000;
  return (
    <ResponsiveContainer width="100%" height={panel.series.length > 1 ? 210 : 180}>
      <LineChart
        data={data}
        syncId="slipway-metrics"
        margin={{ top: 16, right: 12, bottom: 0, left: 4 }}
        style={{ cursor: "pointer" }}
        onClick={(state) => {
          const active = state as { activeLabel?: unknown; activeDataKey?: unknown } | null;
          const t = Number(active?.activeLabel);
          if (!Number.isFinite(t)) return;
          // A click on a series' own dot names that series; elsewhere, what the series at that moment have in common.
          const key = typeof active?.activeDataKey === "string" && /^s\d+$/.test(active.activeDataKey) ? active.activeDataKey : null;
          const series = key ? panel.series[Number(key.slice(1))] : undefined;
          onSelect(t, series ? series.labels : sharedLabels(panel.series, t));
        }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.12} vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          tickFormatter={(t: number) => formatTick(t, range)}
          tick={{ fontSize: 11, fill: "currentColor" }}
          stroke="currentColor"
          strokeOpacity={0.3}
          minTickGap={40}
        />
        <YAxis
          width={76}
          allowDecimals={panel.unit !== "count"}
          tickFormatter={(v: number) => formatMetric(v, String(panel.unit))}
          tick={{ fontSize: 11, fill: "currentColor" }}
          stroke="currentColor"
          strokeOpacity={0.3}
        />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
          formatter={(value, name) => [formatMetric(Number(value), String(panel.unit), true), String(name)]}
          contentStyle={{ fontSize: 12, borderRadius: 6, background: "#fff", color: "#18181b" }}
          // Series colours are for lines; text stays dark on the white tooltip so it reads at 4.5:1.
          itemStyle={{ color: "#18181b" }}
        />
        {markers.map((m) => (
          <ReferenceLine
            key={m.rolloutId}
            x={new Date(m.startedAt).getTime()}
            stroke={markerColour[m.state] ?? "#71717a"}
            strokeDasharray="4 2"
            ifOverflow="extendDomain"
            label={{ value: m.version, position: "insideTopRight", fontSize: 10, fill: markerColour[m.state] ?? "#71717a" }}
          />
        ))}
        {selected !== null ? <ReferenceLine x={selected} stroke="currentColor" strokeOpacity={0.6} /> : null}
        {panel.series.length > 1 ? (
          <Legend
            iconType="plainline"
            wrapperStyle={{ fontSize: 11 }}
            formatter={(value) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
          />
        ) : null}
        {panel.series.map((s, i) => (
          <Line
            key={i}
            dataKey={`s${i}`}
            name={seriesName(s.labels, i)}
            stroke={palette[i % palette.length]}
            dot={false}
            strokeWidth={1.5}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
