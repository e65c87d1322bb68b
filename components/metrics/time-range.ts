/** The Metrics tab's time range, kept in the URL so a view (and a chart point) can be shared. */

export const rangeChoices = [
  { value: "15m", label: "15 min", seconds: 15 * 60 },
  { value: "1h", label: "1 hour", seconds: 3_600 },
  { value: "3h", label: "3 hours", seconds: 3 * 3_600 },
  { value: "12h", label: "12 hours", seconds: 12 * 3_600 },
  { value: "24h", label: "24 hours", seconds: 86_400 },
  { value: "2d", label: "2 days", seconds: 2 * 86_400 },
  { value: "7d", label: "7 days", seconds: 7 * 86_400 },
  { value: "30d", label: "30 days", seconds: 30 * 86_400 },
] as const;

export type RangeChoice = (typeof rangeChoices)[number]["value"];

export const refreshChoices = [
  { value: "off", label: "Off", ms: 0 },
  { value: "30s", label: "30 s", ms: 30_000 },
  { value: "1m", label: "1 min", ms: 60_000 },
  { value: "5m", label: "5 min", ms: 300_000 },
] as const;

export type RefreshChoice = (typeof refreshChoices)[number]["value"];

export type TimeWindow = { from: Date; to: Date; relative: RangeChoice | null };

/** `range=1h` (relative to now) or `from=…&to=…` (absolute, ISO 8601); anything else is the last hour. */
export function windowFromParams(params: URLSearchParams, now: Date): TimeWindow {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to) {
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isFinite(f.getTime()) && Number.isFinite(t.getTime()) && f < t && t.getTime() - f.getTime() <= 31 * 86_400_000) {
      return { from: f, to: t, relative: null };
    }
  }
  const choice = rangeChoices.find((c) => c.value === params.get("range")) ?? rangeChoices[1];
  return { from: new Date(now.getTime() - choice.seconds * 1000), to: now, relative: choice.value };
}

export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
