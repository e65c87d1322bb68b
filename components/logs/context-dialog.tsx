"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { LogLine } from "@/server/logs/contract";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { XIcon } from "@/components/ui/icons";
import { fetchLineContext } from "./logs-api";
import { LogRow } from "./log-row";
import { ProblemList } from "./problem-list";

/** The lines around one line, from the same pod and container (Kibana's surrounding documents), the line marked. */
export function ContextDialog({ service, environment, line, onClose }: { service: string; environment: string; line: LogLine | null; onClose: () => void }) {
  const id = useId();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const context = useQuery({
    queryKey: ["log-context", service, environment, line?.id],
    queryFn: ({ signal }) => fetchLineContext(service, environment, line!.id, signal),
    enabled: line !== null,
    staleTime: 60_000,
  });
  const anchor = useRef<HTMLDivElement>(null);
  const region = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Scroll only the list (scrollIntoView would also scroll the dialog's header away).
    const a = anchor.current;
    const r = region.current;
    if (a && r) r.scrollTop = Math.max(0, a.offsetTop - r.offsetTop - r.clientHeight / 2 + a.offsetHeight / 2);
  }, [context.data]);
  const anchorId = context.data?.anchorId ?? line?.id;
  const toggle = (lineId: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(lineId)) next.delete(lineId);
      else next.add(lineId);
      return next;
    });
  return (
    <Dialog open={line !== null} onClose={onClose} labelledBy={`${id}-title`} className="flex max-h-[85dvh] flex-col sm:max-w-5xl">
      <div className="flex items-start gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0">
          <h2 id={`${id}-title`} className="text-sm font-semibold">
            Lines around this one
          </h2>
          {line ? (
            <p className="truncate text-[12px] text-zinc-600 dark:text-zinc-400">
              Same pod <span className="font-mono">{line.pod}</span>, container <span className="font-mono">{line.container}</span>; oldest first
            </p>
          ) : null}
        </div>
        <Button variant="ghost" size="sm" className="ml-auto" aria-label="Close" onClick={onClose}>
          <XIcon size={14} />
        </Button>
      </div>
      <div ref={region} className="relative min-h-0 flex-1 overflow-auto" tabIndex={0} role="region" aria-label="Surrounding lines">
        {context.isPending ? <p className="p-4 text-[13px] text-zinc-600 dark:text-zinc-400">Loading the surrounding lines…</p> : null}
        {context.error ? (
          <p role="alert" className="m-3 rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 dark:bg-red-950/50 dark:text-red-200">
            {(context.error as Error).message}
          </p>
        ) : null}
        {context.data ? <ProblemList problems={context.data.errors} environment={environment} className="m-3" /> : null}
        {context.data?.lines.map((l) => (
          <div key={l.id} ref={l.id === anchorId ? anchor : undefined} aria-current={l.id === anchorId ? "true" : undefined}>
            <LogRow line={l} wrap expanded={expanded.has(l.id)} onToggle={toggle} anchor={l.id === anchorId} />
          </div>
        ))}
      </div>
    </Dialog>
  );
}
