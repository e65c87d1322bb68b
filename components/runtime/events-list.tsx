"use client";

import { formatAge } from "@/components/ui/time-format";
import { useState } from "react";
import type { EventView } from "@/server/cluster/contract";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";

const FIRST = 6;

/** Recent events of the workload, its ReplicaSets and pods: Warnings first, then the newest. */
export function EventsList({ events, now }: { events: EventView[]; now: number }) {
  const [expanded, setExpanded] = useState(false);
  if (!events.length) return <p className="text-[12px] text-zinc-500 dark:text-zinc-400">No recent events.</p>;
  const shown = expanded ? events : events.slice(0, FIRST);
  return (
    <div className="space-y-1.5">
      <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {shown.map((e, i) => (
          <li
            key={`${e.involvedKind}/${e.involvedName}/${e.reason}/${i}`}
            className="grid grid-cols-[3.75rem_minmax(0,1fr)_2.25rem] items-start gap-2 px-3 sm:grid-cols-[5rem_minmax(0,1fr)_3rem] sm:gap-3 py-1.5 text-[12px]"
          >
            <span className="flex items-center gap-1">
              {e.type === "Warning" ? <Badge tone="red">Warning</Badge> : <span className="text-zinc-500 dark:text-zinc-400">{e.type}</span>}
            </span>
            <span className="min-w-0">
              <span className="font-semibold text-zinc-800 dark:text-zinc-200">{e.reason}</span>
              {e.count > 1 ? <span className="ml-1.5 font-mono text-[11px] text-zinc-500">×{e.count}</span> : null}
              <span className="ml-2 text-zinc-600 dark:text-zinc-400">{e.message}</span>
              <span className="block truncate font-mono text-[10.5px] text-zinc-400 dark:text-zinc-500">
                {e.involvedKind}/{e.involvedName}
              </span>
            </span>
            <span className="text-right font-mono text-[11px] text-zinc-500 tabular-nums" suppressHydrationWarning>
              {formatAge(e.lastSeen, now)}
            </span>
          </li>
        ))}
      </ul>
      {events.length > FIRST ? (
        <button type="button" onClick={() => setExpanded(!expanded)} className={buttonClass({ size: "sm", variant: "ghost" })} aria-expanded={expanded}>
          {expanded ? "Show fewer events" : `Show ${events.length - FIRST} more events`}
        </button>
      ) : null}
    </div>
  );
}
