import "server-only";
import { formatDate, parseDateValue, parseTimeValue, DEFAULT_DATE_FORMATS } from "./dates";
import { illegalArgument, parsingException } from "./errors";
import { resolveField } from "./mapping";
import { keywordsOf, numbersOf } from "./query";
import type { DocVersion } from "./store";

/**
 * The two aggregations a log viewer draws with: `date_histogram` (fixed_interval, or calendar_interval up to a
 * day) and `terms` on keyword or numeric fields, each with optional sub-aggregations.
 */

type Aggregation =
  | { type: "date_histogram"; name: string; field: string; intervalMs: number; minDocCount: number; bounds?: { min: number; max: number }; subs: Aggregation[] }
  | {
      type: "terms";
      name: string;
      field: string;
      size: number;
      minDocCount: number;
      order: "count_desc" | "key_asc" | "key_desc" | "count_asc";
      subs: Aggregation[];
    };

const CALENDAR: Record<string, number> = { "1m": 60_000, minute: 60_000, "1h": 3_600_000, hour: 3_600_000, "1d": 86_400_000, day: 86_400_000 };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseAggregations(raw: unknown): Aggregation[] | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw parsingException("Expected [START_OBJECT] under [aggregations], but got a different token");
  return Object.entries(raw).map(([name, spec]) => parseOne(name, spec));
}

function parseOne(name: string, spec: unknown): Aggregation {
  if (!isObject(spec)) throw parsingException(`Expected [START_OBJECT] under [${name}], but got a different token`);
  const { aggs, aggregations, ...rest } = spec;
  const types = Object.keys(rest);
  if (types.length !== 1) throw parsingException(`Expected [START_OBJECT] under [${types[1] ?? "field"}], but got a [VALUE_STRING] in [${name}]`);
  const type = types[0] as string;
  const body = rest[type];
  if (!isObject(body) || typeof body.field !== "string") throw illegalArgument(`Required one of fields [field, script], but none were specified.`);
  const subs = parseAggregations(aggs ?? aggregations) ?? [];
  if (type === "date_histogram") {
    let intervalMs: number;
    if (body.fixed_interval !== undefined) intervalMs = parseTimeValue(body.fixed_interval, "fixed_interval");
    else if (body.calendar_interval !== undefined) {
      const ms = CALENDAR[String(body.calendar_interval)];
      if (ms === undefined) throw illegalArgument(`[es-sim] calendar_interval [${String(body.calendar_interval)}] is not supported; use fixed_interval`);
      intervalMs = ms;
    } else throw illegalArgument("Invalid interval specified, must be non-null and non-empty");
    const agg: Aggregation = {
      type,
      name,
      field: body.field,
      intervalMs,
      minDocCount: body.min_doc_count === undefined ? 0 : Number(body.min_doc_count),
      subs,
    };
    if (isObject(body.extended_bounds)) {
      const min = parseDateValue(body.extended_bounds.min, DEFAULT_DATE_FORMATS);
      const max = parseDateValue(body.extended_bounds.max, DEFAULT_DATE_FORMATS);
      if (min !== undefined && max !== undefined) agg.bounds = { min, max };
    }
    return agg;
  }
  if (type === "terms") {
    let order: "count_desc" | "key_asc" | "key_desc" | "count_asc" = "count_desc";
    if (isObject(body.order)) {
      const [key, dir] = Object.entries(body.order)[0] ?? ["_count", "desc"];
      order = `${key === "_key" ? "key" : "count"}_${dir === "asc" ? "asc" : "desc"}`;
    }
    return {
      type,
      name,
      field: body.field,
      size: body.size === undefined ? 10 : Number(body.size),
      minDocCount: body.min_doc_count === undefined ? 1 : Number(body.min_doc_count),
      order,
      subs,
    };
  }
  throw illegalArgument(`[es-sim] aggregation type [${type}] is not supported (date_histogram and terms are)`);
}

function keysOf(doc: DocVersion, field: string): Array<string | number> {
  const ref = resolveField(doc.index.mapping, field);
  if (ref.kind === "keyword") return [...new Set(keywordsOf(doc, ref.path))];
  if (ref.kind === "long" || ref.kind === "float" || ref.kind === "date" || ref.kind === "boolean") return [...new Set(numbersOf(doc, ref.path))];
  if (ref.kind === "text") {
    throw illegalArgument(
      `Fielddata is disabled on [${field}] in [${doc.index.name}]. Text fields are not optimised for operations that require per-document field data ` +
        "like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead.",
    );
  }
  return [];
}

export function computeAggregations(aggs: Aggregation[], docs: DocVersion[], typedKeys: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const agg of aggs) {
    const key = typedKeys ? `${agg.type === "terms" ? "sterms" : agg.type}#${agg.name}` : agg.name;
    out[key] = agg.type === "date_histogram" ? dateHistogram(agg, docs, typedKeys) : terms(agg, docs, typedKeys);
  }
  return out;
}

function dateHistogram(agg: Extract<Aggregation, { type: "date_histogram" }>, docs: DocVersion[], typedKeys: boolean): unknown {
  const buckets = new Map<number, DocVersion[]>();
  for (const doc of docs) {
    for (const value of keysOf(doc, agg.field)) {
      const bucket = Math.floor(Number(value) / agg.intervalMs) * agg.intervalMs;
      const list = buckets.get(bucket) ?? [];
      list.push(doc);
      buckets.set(bucket, list);
    }
  }
  let keys = [...buckets.keys()].sort((a, b) => a - b);
  if (agg.minDocCount === 0 && (keys.length > 0 || agg.bounds)) {
    const lo = Math.min(...keys, ...(agg.bounds ? [Math.floor(agg.bounds.min / agg.intervalMs) * agg.intervalMs] : []));
    const hi = Math.max(...keys, ...(agg.bounds ? [Math.floor(agg.bounds.max / agg.intervalMs) * agg.intervalMs] : []));
    if ((hi - lo) / agg.intervalMs > 65_535) throw illegalArgument("Trying to create too many buckets. Must be less than or equal to: [65536].");
    keys = [];
    for (let k = lo; k <= hi; k += agg.intervalMs) keys.push(k);
  }
  return {
    buckets: keys
      .map((k) => ({ k, docs: buckets.get(k) ?? [] }))
      .filter(({ docs: d }) => d.length >= agg.minDocCount)
      .map(({ k, docs: d }) => ({ key_as_string: formatDate(k), key: k, doc_count: d.length, ...computeAggregations(agg.subs, d, typedKeys) })),
  };
}

function terms(agg: Extract<Aggregation, { type: "terms" }>, docs: DocVersion[], typedKeys: boolean): unknown {
  const buckets = new Map<string | number, DocVersion[]>();
  for (const doc of docs) {
    for (const value of keysOf(doc, agg.field)) {
      const list = buckets.get(value) ?? [];
      list.push(doc);
      buckets.set(value, list);
    }
  }
  const entries = [...buckets.entries()].filter(([, d]) => d.length >= agg.minDocCount);
  entries.sort(([ka, a], [kb, b]) => {
    const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
    if (agg.order === "key_asc") return byKey;
    if (agg.order === "key_desc") return -byKey;
    const byCount = agg.order === "count_asc" ? a.length - b.length : b.length - a.length;
    return byCount || byKey;
  });
  const kept = entries.slice(0, agg.size);
  const other = entries.slice(agg.size).reduce((n, [, d]) => n + d.length, 0);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: other,
    buckets: kept.map(([key, d]) => ({ key, doc_count: d.length, ...computeAggregations(agg.subs, d, typedKeys) })),
  };
}
