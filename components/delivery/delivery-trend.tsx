"use client";

import dynamic from "next/dynamic";
import type { DeliveryFigures } from "@/server/delivery/contract";
import { formatSpan } from "./format";

// recharts is large: it loads with the pages that show delivery figures only.
const TrendChart = dynamic(() => import("./delivery-trend-chart"), {
  ssr: false,
  loading: () => <div className="h-[180px] animate-pulse rounded bg-zinc-100 dark:bg-zinc-800/60" />,
});

const weekLabel = (iso: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(iso));

/** The weekly trend: a chart for the eye, and the same numbers as a table for screen readers and small screens. */
export function DeliveryTrend({ figures }: { figures: DeliveryFigures }) {
  return (
    <figure>
      <figcaption className="mb-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        Weekly: deploys (failed or rolled back in red) and median lead time
      </figcaption>
      <div aria-hidden className="h-[180px]">
        <TrendChart weeks={figures.weeks} />
      </div>
      <details className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        <summary className="cursor-pointer rounded font-medium text-zinc-700 dark:text-zinc-300">The trend as a table</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="w-full text-left tabular-nums">
            <caption className="sr-only">Delivery figures by week</caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                {["Week of", "Deploys", "Failed", "Lead time (median)", "Time to restore (median)"].map((h) => (
                  <th key={h} scope="col" className="py-1 pr-3 font-medium whitespace-nowrap">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {figures.weeks.map((w) => (
                <tr key={w.week} className="border-b border-zinc-100 dark:border-zinc-800/70">
                  <th scope="row" className="py-1 pr-3 font-normal whitespace-nowrap">
                    {weekLabel(w.week)}
                  </th>
                  <td className="py-1 pr-3">{w.deploys}</td>
                  <td className="py-1 pr-3">{w.failures}</td>
                  <td className="py-1 pr-3">{formatSpan(w.leadTimeMedianMs)}</td>
                  <td className="py-1 pr-3">{formatSpan(w.restoreMedianMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
