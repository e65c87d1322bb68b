"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { LogLine } from "@/server/logs/contract";
import { cn } from "@/components/ui/cn";
import { LogRow } from "./log-row";

/** The height a row is assumed to have until it has been measured (one line of 12px mono text plus padding). */
const ESTIMATED_ROW = 26;
/** Rows rendered beyond the visible area, in pixels, so fast scrolling does not show blank space. */
const OVERSCAN_PX = 600;

/** The first index whose row ends below `y`. */
function indexAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A windowed list of log lines: only the rows in view (plus an overscan) are in the DOM, each measured as it renders
 * (wrapped and expanded rows are taller), so 10,000 lines scroll as smoothly as 100. When lines are added above
 * (the live tail) while the reader is scrolled down, the scroll position moves with them: what is read stays put.
 */
export function LogList({
  lines,
  wrap,
  expanded,
  onToggle,
  onContext,
  footer,
  className,
  label,
  startAtEnd = false,
}: {
  lines: LogLine[];
  wrap: boolean;
  expanded: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onContext?: ((line: LogLine) => void) | undefined;
  footer?: ReactNode;
  className?: string;
  label: string;
  /** Open scrolled to the last line (oldest-first output such as a pod's, where the end is what matters). */
  startAtEnd?: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });

  // Heights measured with one wrap setting say nothing about the other.
  useEffect(() => {
    heights.current.clear();
    setMeasured((n) => n + 1);
  }, [wrap]);

  const offsets = useMemo(() => {
    void measured;
    const o = new Float64Array(lines.length + 1);
    for (let i = 0; i < lines.length; i++) o[i + 1] = o[i]! + (heights.current.get(lines[i]!.id) ?? ESTIMATED_ROW);
    return o;
  }, [lines, measured]);
  const total = offsets[lines.length]!;

  // One ResizeObserver for every rendered row; a burst of measurements re-lays out once per frame.
  const frame = useRef(0);
  const observer = useMemo(
    () =>
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver((entries) => {
            let changed = false;
            for (const entry of entries) {
              const id = (entry.target as HTMLElement).dataset.lineId;
              if (!id) continue;
              const h = Math.ceil(entry.borderBoxSize?.[0]?.blockSize ?? (entry.target as HTMLElement).offsetHeight);
              if (h > 0 && heights.current.get(id) !== h) {
                heights.current.set(id, h);
                changed = true;
              }
            }
            if (changed && !frame.current) {
              frame.current = requestAnimationFrame(() => {
                frame.current = 0;
                setMeasured((n) => n + 1);
              });
            }
          }),
    [],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);
  const measure = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el || !observer) return;
      observer.observe(el);
      return () => observer.unobserve(el);
    },
    [observer],
  );

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el) setViewport({ top: el.scrollTop, height: el.clientHeight });
  }, []);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    onScroll();
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => resize.disconnect();
  }, [onScroll]);

  // Lines prepended (newest first: the live tail) while scrolled down: move by their height so the view holds still.
  const previousFirst = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const before = previousFirst.current;
    previousFirst.current = lines[0]?.id ?? null;
    if (!el || !before || el.scrollTop <= 0) return;
    const k = lines.findIndex((l) => l.id === before);
    if (k > 0) el.scrollTop += offsets[k]!;
    // On a change of the lines only, not on every re-measure.
  }, [lines]);

  const atEnd = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!startAtEnd || !el || atEnd.current || lines.length === 0) return;
    atEnd.current = true;
    el.scrollTop = el.scrollHeight;
  }, [startAtEnd, lines.length]);

  const first = lines.length ? indexAt(offsets, Math.max(0, viewport.top - OVERSCAN_PX)) : 0;
  const lastY = viewport.top + viewport.height + OVERSCAN_PX;
  let last = first;
  while (last < lines.length && offsets[last]! < lastY) last++;

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const line = lines[i]!;
    rows.push(
      <div key={line.id} ref={measure} data-line-id={line.id} className="absolute inset-x-0" style={{ top: offsets[i] }}>
        <LogRow line={line} wrap={wrap} expanded={expanded.has(line.id)} onToggle={onToggle} onContext={onContext} />
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      onScroll={onScroll}
      tabIndex={0}
      role="region"
      aria-label={label}
      className={cn("relative overflow-auto overscroll-contain rounded-md bg-white ring-1 ring-zinc-200 dark:bg-zinc-950 dark:ring-zinc-800", className)}
    >
      <div className="relative" style={{ height: total }} data-testid="log-rows" data-line-count={lines.length}>
        {rows}
      </div>
      {footer}
    </div>
  );
}
