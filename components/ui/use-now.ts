"use client";

import { useSyncExternalStore } from "react";

type Clock = { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setInterval> | undefined };
const clocks = new Map<number, Clock>();

function clock(intervalMs: number): Clock {
  let c = clocks.get(intervalMs);
  if (!c) {
    c = { now: Date.now(), listeners: new Set(), timer: undefined };
    clocks.set(intervalMs, c);
  }
  return c;
}

/**
 * The current time, ticking every `intervalMs`, shared by every component on the same interval. While rendering on
 * the server and hydrating it is `serverNow` (null when not given): "3 minutes ago" depends on the browser's clock,
 * so callers render an absolute UTC time, or measure from a time the server passed down, until then.
 */
export function useNow(intervalMs?: number): number | null;
export function useNow(intervalMs: number, serverNow: number): number;
export function useNow(intervalMs = 30_000, serverNow?: number): number | null {
  return useSyncExternalStore(
    (onChange) => {
      const c = clock(intervalMs);
      c.listeners.add(onChange);
      if (!c.timer) {
        // The clock was idle: bring it up to date, then tell the subscribers (outside this call).
        const fresh = Date.now();
        if (fresh - c.now >= 1_000) {
          c.now = fresh;
          queueMicrotask(() => c.listeners.forEach((l) => l()));
        }
        c.timer = setInterval(() => {
          c.now = Date.now();
          c.listeners.forEach((l) => l());
        }, intervalMs);
      }
      return () => {
        c.listeners.delete(onChange);
        if (!c.listeners.size && c.timer) {
          clearInterval(c.timer);
          c.timer = undefined;
        }
      };
    },
    // The snapshot must be stable between reads: only the interval (and a subscription to an idle clock) moves it.
    () => clock(intervalMs).now,
    () => serverNow ?? null,
  );
}
