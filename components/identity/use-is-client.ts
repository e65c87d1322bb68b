"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False while rendering on the server and hydrating, true afterwards: local times and "3 minutes ago" depend on the
 * browser's clock and time zone, so they render only in the browser to avoid hydration mismatches.
 */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
