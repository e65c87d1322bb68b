"use client";

import { formatDate, formatDateTime, formatDuration, formatRelative } from "./time-format";
import { useNow } from "./use-now";

/**
 * A moment, as "3 minutes ago" (ticking), a local date and time, or a local date, with the exact UTC instant on
 * hover. The server renders UTC; the browser switches to the viewer's zone after hydration. A relative time given
 * `now` (the server's render time, then a ticking clock) renders as relative on the server too.
 */
export function Time({
  iso,
  format = "relative",
  seconds = false,
  now: givenNow,
  className,
}: {
  iso: string;
  format?: "relative" | "datetime" | "date";
  /** For "datetime": down to the second (audit events). */
  seconds?: boolean;
  now?: number;
  className?: string;
}) {
  const ticking = useNow(format === "relative" ? 15_000 : 60 * 60_000);
  const client = ticking !== null;
  const now = givenNow ?? ticking;
  const text =
    format === "relative" && now !== null
      ? formatRelative(iso, now)
      : format === "date"
        ? formatDate(iso, client ? undefined : "UTC")
        : client
          ? formatDateTime(iso, undefined, seconds)
          : `${formatDateTime(iso, "UTC", seconds)} UTC`;
  const title = client ? `${formatDateTime(iso, undefined, true)} (${iso})` : iso;
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
