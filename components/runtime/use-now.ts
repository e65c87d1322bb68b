"use client";

import { useEffect, useState } from "react";

/** The current time, refreshed every `intervalMs`, so ages keep counting between updates. */
export function useNow(intervalMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
