"use client";

import { formatDateTime, formatDuration, formatRelative } from "./format";
import { useNow } from "./use-now";

/**
 * A moment, as "3 minutes ago" (ticking) or as a local date and time, with the exact instant on hover. The server
 * renders UTC; the browser switches to the viewer's zone after hydration.
 */
export function Time({ iso, format = "relative", className }: { iso: string; format?: "relative" | "datetime"; className?: string }) {
  const now = useNow(format === "relative" ? 15_000 : 60 * 60_000);
  const text = now === null ? `${formatDateTime(iso, "UTC")} UTC` : format === "relative" ? formatRelative(iso, now) : formatDateTime(iso);
  const title = now === null ? iso : `${formatDateTime(iso, undefined, true)} (${iso})`;
  return (
    <time dateTime={iso} title={title} className={className}>
      {text}
    </time>
  );
}

/** How long since `since` (or until `until`), ticking: "running for 2d 4h", "expires in 3h 10m". */
export function Elapsed({ since, until, className }: { since?: string; until?: string; className?: string }) {
  const now = useNow(since ? 1_000 : 30_000);
  const iso = (since ?? until)!;
  if (now === null) return <span className={className}>…</span>;
  const ms = since ? now - new Date(since).getTime() : new Date(until!).getTime() - now;
  return (
    <time dateTime={iso} title={formatDateTime(iso, undefined, true)} className={className}>
      {formatDuration(ms)}
    </time>
  );
}

/** "expires in 2d 4h", amber under a day, red under two hours, "expired" after. */
export function ExpiryCountdown({ expiresAt, className }: { expiresAt: string; className?: string }) {
  const now = useNow(30_000);
  if (now === null) {
    return (
      <span className={className}>
        expires <time dateTime={expiresAt}>{formatDateTime(expiresAt, "UTC")} UTC</time>
      </span>
    );
  }
  const left = new Date(expiresAt).getTime() - now;
  const tone =
    left <= 0
      ? "text-zinc-500 dark:text-zinc-400"
      : left < 2 * 3_600_000
        ? "text-red-700 dark:text-red-300"
        : left < 24 * 3_600_000
          ? "text-amber-700 dark:text-amber-300"
          : "text-zinc-600 dark:text-zinc-400";
  return (
    <span className={`${tone} ${className ?? ""}`} title={`Expires ${formatDateTime(expiresAt, undefined, true)}`}>
      {left <= 0 ? "expired" : <>expires in {formatDuration(left)}</>}
    </span>
  );
}
