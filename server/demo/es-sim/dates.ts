import "server-only";
import { illegalArgument } from "./errors";

/** Dates, date math and time values as Elasticsearch parses them, in UTC (no time_zone support). */

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * strict_date_optional_time to epoch millis; `roundUp` fills missing parts with their maximum, as ES does for the
 * upper bound of a range (`lte: "2026-12-05"` includes the whole day). Fractions beyond millis are truncated.
 */
export function parseIsoDate(text: string, roundUp = false): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? (roundUp ? 12 : 1) : Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const day = m[3] === undefined ? (roundUp ? daysInMonth(year, month) : 1) : Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = m[4] === undefined ? (roundUp ? 23 : 0) : Number(m[4]);
  const minute = m[5] === undefined ? (roundUp ? 59 : 0) : Number(m[5]);
  const second = m[6] === undefined ? (roundUp ? 59 : 0) : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = m[7] === undefined ? (roundUp ? 999 : 0) : Number(m[7].padEnd(3, "0").slice(0, 3));
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (hours > 18 || minutes > 59) return undefined;
    offset = (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 onto 1900-1999; a four-digit year never needs that.
  const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return fixed - offset;
}

export type DateFormat = "strict_date_optional_time" | "epoch_millis" | "epoch_second";

const FORMAT_ALIASES: Record<string, DateFormat> = {
  strict_date_optional_time: "strict_date_optional_time",
  date_optional_time: "strict_date_optional_time",
  strict_date_optional_time_nanos: "strict_date_optional_time",
  strict_date_time: "strict_date_optional_time",
  date_time: "strict_date_optional_time",
  epoch_millis: "epoch_millis",
  epoch_second: "epoch_second",
};

/** The default format of a dynamically mapped date field. */
export const DEFAULT_DATE_FORMATS: DateFormat[] = ["strict_date_optional_time", "epoch_millis"];

export function parseFormats(format: string | undefined): DateFormat[] {
  if (format === undefined) return DEFAULT_DATE_FORMATS;
  return format.split("||").map((name) => {
    const known = FORMAT_ALIASES[name.trim()];
    if (!known) throw illegalArgument(`[es-sim] unsupported date format [${name}]; supported: ${Object.keys(FORMAT_ALIASES).join(", ")}`);
    return known;
  });
}

/** A date value (string or number) in one of `formats`, without date math. */
export function parseDateValue(value: unknown, formats: DateFormat[], roundUp = false): number | undefined {
  for (const format of formats) {
    if (format === "strict_date_optional_time" && typeof value === "string") {
      const parsed = parseIsoDate(value, roundUp);
      if (parsed !== undefined) return parsed;
    } else if (format === "epoch_millis" || format === "epoch_second") {
      const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
      if (Number.isFinite(n)) return Math.trunc(format === "epoch_second" ? n * 1000 : n);
    }
  }
  return undefined;
}

const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, H: 3_600_000, m: 60_000, s: 1000 };

function addUnits(millis: number, amount: number, unit: string): number {
  const d = new Date(millis);
  if (unit === "y") return d.setUTCFullYear(d.getUTCFullYear() + amount);
  if (unit === "M") return d.setUTCMonth(d.getUTCMonth() + amount);
  return millis + amount * (UNIT_MS[unit] ?? 0);
}

function roundTo(millis: number, unit: string, up: boolean): number {
  const d = new Date(millis);
  let start: number;
  if (unit === "y") start = Date.UTC(d.getUTCFullYear(), 0, 1);
  else if (unit === "M") start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  else if (unit === "w") {
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    start = day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
  } else start = Math.floor(millis / (UNIT_MS[unit] ?? 1)) * (UNIT_MS[unit] ?? 1);
  return up ? addUnits(start, 1, unit) - 1 : start;
}

/**
 * A range bound with date math (`now-15m`, `now/d`, `2026-12-05||+1d/d`). `roundUp` is true for `lte` and `gt`,
 * where ES rounds to the last millisecond of the unit.
 */
export function parseDateMath(value: unknown, formats: DateFormat[], now: number, roundUp: boolean): number {
  const text = typeof value === "string" ? value : undefined;
  let anchor: number | undefined;
  let math = "";
  if (text?.startsWith("now")) {
    anchor = now;
    math = text.slice(3);
  } else if (text?.includes("||")) {
    const at = text.indexOf("||");
    anchor = parseDateValue(text.slice(0, at), formats, false);
    math = text.slice(at + 2);
  } else {
    anchor = parseDateValue(value, formats, roundUp);
  }
  if (anchor === undefined) {
    throw illegalArgument(`failed to parse date field [${String(value)}] with format [${formats.join("||")}]`);
  }
  let result = anchor;
  const op = /([+-])(\d*)([yMwdhHms])|\/([yMwdhHms])/g;
  let consumed = 0;
  for (const m of math.matchAll(op)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    if (m[4]) result = roundTo(result, m[4], roundUp);
    else result = addUnits(result, (m[1] === "-" ? -1 : 1) * Number(m[2] || "1"), m[3] ?? "s");
  }
  if (consumed !== math.length) throw illegalArgument(`operator not supported for date math [${math}]`);
  return result;
}

/** Epoch millis as ES prints a date field (strict_date_optional_time). */
export function formatDate(millis: number): string {
  return new Date(millis).toISOString();
}

/** Time values such as keep_alive, timeout and fixed_interval ("1m", "30s", "500ms"). */
export function parseTimeValue(value: unknown, setting: string): number {
  const text = typeof value === "number" ? `${value}ms` : String(value);
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(text.trim());
  if (!m) {
    const reason = `failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`;
    throw illegalArgument(reason);
  }
  const factor = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms"];
  return Number(m[1]) * factor;
}
