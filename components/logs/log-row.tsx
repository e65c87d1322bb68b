"use client";

import { memo, useState } from "react";
import type { LogLine } from "@/server/logs/contract";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { CheckIcon, ChevronRightIcon, CopyIcon } from "@/components/ui/icons";
import { copyText } from "@/components/identity/ui/copy-button";
import { formatTime, jsonOf, levelStyle } from "./log-view";

const iconButton = cn(
  "inline-flex size-6 shrink-0 items-center justify-center rounded text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
  focusRing,
);

/** One log line: time, level, pod, message; expands to its JSON and fields; copy, and the lines around it. */
export const LogRow = memo(function LogRow({
  line,
  wrap,
  expanded,
  onToggle,
  onContext,
  anchor = false,
}: {
  line: LogLine;
  wrap: boolean;
  expanded: boolean;
  onToggle: (id: string) => void;
  onContext?: ((line: LogLine) => void) | undefined;
  anchor?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  const style = levelStyle[line.level];
  const json = expanded ? jsonOf(line.message) : null;
  const fieldEntries = expanded ? Object.entries(line.fields) : [];
  return (
    <div
      className={cn(
        "border-b border-l-2 border-b-zinc-100 font-mono text-[12px] leading-[18px] dark:border-b-zinc-900",
        style.rule,
        anchor ? "bg-indigo-50 dark:bg-indigo-950/60" : line.level === "error" || line.level === "fatal" ? "bg-red-50/50 dark:bg-red-950/20" : "",
      )}
      data-level={line.level}
    >
      <div className="group flex flex-wrap items-start gap-x-2 px-1.5 py-[3px] hover:bg-zinc-50 sm:flex-nowrap dark:hover:bg-zinc-900/70">
        <button
          type="button"
          className={iconButton}
          aria-expanded={expanded}
          aria-label={expanded ? "Hide details" : "Show details"}
          onClick={() => onToggle(line.id)}
        >
          <ChevronRightIcon size={12} className={cn("transition-transform", expanded && "rotate-90")} />
        </button>
        <time dateTime={line.timestamp} title={line.timestamp} className="shrink-0 pt-[3px] leading-[18px] text-zinc-600 tabular-nums dark:text-zinc-400">
          {formatTime(line.timestamp)}
        </time>
        <span className="w-12 shrink-0 pt-[2px]">
          {line.level === "unknown" ? (
            <span className="sr-only">level unknown</span>
          ) : (
            <Badge tone={style.tone} solid={line.level === "fatal"}>
              {style.label}
            </Badge>
          )}
        </span>
        <span className="hidden w-44 shrink-0 truncate pt-[3px] text-zinc-600 lg:inline dark:text-zinc-400" title={`${line.pod} / ${line.container}`}>
          {line.pod}
        </span>
        <span
          className={cn(
            "order-last min-w-0 basis-full pt-[3px] pl-8 text-zinc-900 sm:order-none sm:flex-1 sm:basis-auto sm:pl-0 dark:text-zinc-100",
            wrap ? "whitespace-pre-wrap [overflow-wrap:anywhere]" : "truncate whitespace-pre",
          )}
        >
          {line.message}
        </span>
        <span className="ml-auto flex shrink-0 items-center gap-0.5 opacity-100 sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
          <button
            type="button"
            className={iconButton}
            aria-label="Copy line"
            title="Copy line"
            onClick={() =>
              void copyText(line.message).then((ok) => {
                if (!ok) return;
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              })
            }
          >
            {copied ? <CheckIcon size={12} /> : <CopyIcon size={12} />}
          </button>
          {onContext ? (
            <button type="button" className={cn(iconButton, "w-auto px-1.5 font-sans text-[11px] font-medium")} onClick={() => onContext(line)}>
              Context
            </button>
          ) : null}
        </span>
      </div>
      {expanded ? (
        <div className="space-y-2 px-9 pt-1 pb-2 font-mono text-[12px]">
          <p className="font-sans text-[12px] text-zinc-600 dark:text-zinc-400">
            Pod <span className="font-mono text-zinc-900 dark:text-zinc-100">{line.pod}</span> · container{" "}
            <span className="font-mono text-zinc-900 dark:text-zinc-100">{line.container}</span>
          </p>
          {json ? (
            <pre className="rounded bg-zinc-50 p-2 whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100">
              {JSON.stringify(json, null, 2)}
            </pre>
          ) : null}
          {fieldEntries.length ? (
            <dl className="grid grid-cols-[minmax(6rem,max-content)_1fr] gap-x-3 gap-y-0.5">
              {fieldEntries.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-zinc-600 dark:text-zinc-400">{k}</dt>
                  <dd className="break-all text-zinc-900 dark:text-zinc-100">{v === null ? "null" : String(v)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </div>
      ) : null}
    </div>
  );
});
