"use client";

import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DeliveryWeek } from "@/server/delivery/contract";
import { formatSpan } from "./format";

const hourMs = 3_600_000;
const weekLabel = (iso: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(iso));

/** Stacked weekly deploys (good and failed) with the median lead time in hours on a second axis. */
export default function DeliveryTrendChart({ weeks }: { weeks: DeliveryWeek[] }) {
  const rows = weeks.map((w) => ({
    week: weekLabel(w.week),
    good: w.deploys - w.failures,
    failed: w.failures,
    leadHours: w.leadTimeMedianMs === null ? null : Math.round((w.leadTimeMedianMs / hourMs) * 10) / 10,
  }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ComposedChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -12 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" className="text-zinc-200 dark:text-zinc-800" vertical={false} />
        <XAxis dataKey="week" tick={{ fontSize: 11, fill: "currentColor" }} className="text-zinc-500" tickLine={false} interval="preserveStartEnd" />
        <YAxis yAxisId="deploys" allowDecimals={false} tick={{ fontSize: 11, fill: "currentColor" }} className="text-zinc-500" tickLine={false} width={36} />
        <YAxis
          yAxisId="lead"
          orientation="right"
          tick={{ fontSize: 11, fill: "currentColor" }}
          className="text-zinc-500"
          tickLine={false}
          width={40}
          unit="h"
        />
        <Tooltip
          contentStyle={{ fontSize: 12 }}
          formatter={(value, name) =>
            name === "Lead time" ? [formatSpan(typeof value === "number" ? value * hourMs : null), name] : [String(value), String(name)]
          }
        />
        <Bar yAxisId="deploys" dataKey="good" name="Deploys" stackId="d" fill="#059669" isAnimationActive={false} />
        <Bar yAxisId="deploys" dataKey="failed" name="Failed or rolled back" stackId="d" fill="#dc2626" isAnimationActive={false} />
        <Line yAxisId="lead" dataKey="leadHours" name="Lead time" stroke="#4f46e5" strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
