/**
 * Every way the UI writes a moment or a span of time, in British English. Absolute times are in the viewer's zone
 * unless `timeZone` says otherwise (the server renders UTC, so its output does not depend on the host).
 */

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

const relative = new Intl.RelativeTimeFormat("en-GB", { numeric: "auto" });

/** "3 minutes ago", "in 2 days"; "just now" under a minute. */
export function formatRelative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < minute) return diff <= 0 ? "just now" : "in under a minute";
  if (abs < hour) return relative.format(Math.round(diff / minute), "minute");
  if (abs < day) return relative.format(Math.round(diff / hour), "hour");
  if (abs < 30 * day) return relative.format(Math.round(diff / day), "day");
  if (abs < 365 * day) return relative.format(Math.round(diff / (30 * day)), "month");
  return relative.format(Math.round(diff / (365 * day)), "year");
}

/** "12 Mar 2026". */
export function formatDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** "12 Mar 2026, 14:05", or "12 Mar 2026, 14:05:09" with `seconds`. */
export function formatDateTime(iso: string, timeZone?: string, seconds = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

/**
 * "45s", "2m 14s", "1h 3m", "3d 4h": two units at most, enough to compare rollouts at a glance. Both units are
 * truncated, never rounded up, so the second one stays below its limit (47h59m is "1d 23h", not "1d 24h").
 */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.floor(ms));
  const units: Array<[number, string]> = [
    [day, "d"],
    [hour, "h"],
    [minute, "m"],
    [second, "s"],
  ];
  const first = units.findIndex(([size]) => abs >= size);
  if (first === -1 || first === units.length - 1) return `${Math.floor(abs / second)}s`;
  const [size, unit] = units[first]!;
  const [nextSize, nextUnit] = units[first + 1]!;
  const major = Math.floor(abs / size);
  const minor = Math.floor((abs % size) / nextSize);
  return minor ? `${major}${unit} ${minor}${nextUnit}` : `${major}${unit}`;
}

export function durationBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return new Date(to).getTime() - new Date(from).getTime();
}

/** `kubectl get` style ages: 45s, 12m, 3h, 2d; "–" when the moment is unknown. */
export function formatAge(since: string | null, now: number): string {
  if (!since) return "–";
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / second));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function daysUntil(iso: string, now: number): number {
  return (new Date(iso).getTime() - now) / day;
}
