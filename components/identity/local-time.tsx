"use client";
import { formatDate, formatDateTime, formatRelative } from "./format-time";
import { useIsClient } from "./use-is-client";

/**
 * A timestamp in the viewer's time zone, with the exact ISO instant on hover. The server renders UTC; the browser
 * re-renders it locally after hydration.
 */
export function LocalTime({
  iso,
  format = "datetime",
  className,
  now,
}: {
  iso: string;
  format?: "datetime" | "date" | "relative";
  className?: string;
  /** For "relative": the clock to measure from. Pass the server's render time (then a ticking one) to render it on the server too. */
  now?: number;
}) {
  const client = useIsClient();
  const text =
    format === "relative"
      ? now !== undefined || client
        ? formatRelative(iso, now ?? Date.now())
        : formatDate(iso, "UTC")
      : format === "date"
        ? formatDate(iso, client ? undefined : "UTC")
        : client
          ? formatDateTime(iso)
          : `${formatDateTime(iso, "UTC")} UTC`;
  return (
    <time dateTime={iso} title={iso} className={className}>
      {text}
    </time>
  );
}
