import "server-only";
import { z } from "zod";
import { formatDate, parseDateValue, parseTimeValue, DEFAULT_DATE_FORMATS } from "./dates";
import {
  allShardsFailed,
  EsApiError,
  illegalArgument,
  isEsApiError,
  parsingException,
  queryShardException,
  ShardError,
  validationFailed,
  type EsErrorCause,
} from "./errors";
import { expandFieldPatterns, resolveField, type FieldRef } from "./mapping";
import { bindQuery, keywordsOf, numbersOf, parseQuery, type QueryNode } from "./query";
import { filterSource, sourceSpec } from "./source-filter";
import type { DocVersion, IndexState, PointInTime } from "./store";
import { computeAggregations, parseAggregations } from "./aggregations";
import { candidates } from "./prune";

/** Search and count over a set of indices (each one shard), or over the frozen view of a point in time. */

export interface SearchTarget {
  index: IndexState;
  seqNo: number;
}

export const MAX_RESULT_WINDOW = 10_000;
const SHARD_DOC_FACTOR = 2 ** 32;

const UNSUPPORTED_KEYS = [
  "highlight",
  "collapse",
  "rescore",
  "suggest",
  "script_fields",
  "slice",
  "runtime_mappings",
  "indices_boost",
  "explain",
  "profile",
  "knn",
  "rank",
  "retriever",
  "stored_fields",
  "docvalue_fields",
  "stats",
  "ext",
];

const scalarOrNull = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const SearchBodySchema = z
  .object({
    query: z.unknown().optional(),
    post_filter: z.unknown().optional(),
    size: z.number().int().optional(),
    from: z.number().int().optional(),
    sort: z.unknown().optional(),
    search_after: z.array(scalarOrNull).optional(),
    _source: z.unknown().optional(),
    track_total_hits: z.union([z.boolean(), z.number().int()]).optional(),
    track_scores: z.boolean().optional(),
    timeout: z.string().optional(),
    pit: z.object({ id: z.string(), keep_alive: z.string().optional() }).strict().optional(),
    aggs: z.record(z.string(), z.unknown()).optional(),
    aggregations: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(z.union([z.string(), z.object({ field: z.string(), format: z.string().optional() })])).optional(),
    version: z.boolean().optional(),
    seq_no_primary_term: z.boolean().optional(),
    min_score: z.number().optional(),
    terminate_after: z.number().int().optional(),
  })
  .strict();

export type SearchBody = z.infer<typeof SearchBodySchema>;

function tokenName(value: unknown): string {
  if (Array.isArray(value)) return "START_ARRAY";
  if (value === null) return "VALUE_NULL";
  if (typeof value === "object") return "START_OBJECT";
  if (typeof value === "string") return "VALUE_STRING";
  if (typeof value === "boolean") return "VALUE_BOOLEAN";
  return "VALUE_NUMBER";
}

/** Checks a search body as ES's SearchSourceBuilder parser does, naming the offending key. */
export function parseSearchBody(raw: unknown): SearchBody {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw parsingException("Unknown key for a START_ARRAY in [null].");
  for (const [key, value] of Object.entries(raw)) {
    if (UNSUPPORTED_KEYS.includes(key)) throw illegalArgument(`[es-sim] the search option [${key}] is not supported by this simulator`);
    if (!(key in SearchBodySchema.shape)) throw parsingException(`Unknown key for a ${tokenName(value)} in [${key}].`);
  }
  const parsed = SearchBodySchema.safeParse(raw);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "");
    throw new EsApiError(400, {
      type: "x_content_parse_exception",
      reason: `[search] failed to parse field [${field}]`,
      caused_by: { type: "illegal_argument_exception", reason: parsed.error.issues[0]?.message ?? "invalid" },
    });
  }
  return parsed.data;
}

interface SortSpec {
  field: string;
  order: "asc" | "desc";
  missing: "_last" | "_first" | string | number;
  unmappedType?: string;
  format?: string;
}

function parseSort(raw: unknown): SortSpec[] {
  if (raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((item): SortSpec => {
    if (typeof item === "string") {
      const [field, order] = item.includes(":") ? item.split(":") : [item, undefined];
      const name = field ?? item;
      return { field: name, order: order === "desc" || (order === undefined && name === "_score") ? "desc" : "asc", missing: "_last" };
    }
    if (typeof item !== "object" || item === null) throw parsingException(`[sort] failed to parse field [sort]`);
    const entries = Object.entries(item);
    if (entries.length !== 1) throw parsingException("[sort] only one field per sort object is allowed");
    const [field, spec] = entries[0] as [string, unknown];
    const defaultOrder = field === "_score" ? "desc" : "asc";
    if (typeof spec === "string") {
      if (spec !== "asc" && spec !== "desc") throw illegalArgument(`Unknown SortOrder [${spec}]`);
      return { field, order: spec, missing: "_last" };
    }
    if (typeof spec !== "object" || spec === null) throw parsingException(`[${field}] unknown sort specification`);
    const s = spec as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (!["order", "missing", "unmapped_type", "format", "mode", "numeric_type"].includes(key)) throw parsingException(`[field_sort] unknown field [${key}]`);
    }
    const order = s.order === undefined ? defaultOrder : String(s.order);
    if (order !== "asc" && order !== "desc") throw illegalArgument(`Unknown SortOrder [${order}]`);
    const out: SortSpec = { field, order, missing: s.missing === undefined ? "_last" : (s.missing as string | number) };
    if (s.unmapped_type !== undefined) out.unmappedType = String(s.unmapped_type);
    if (s.format !== undefined) out.format = String(s.format);
    return out;
  });
}

/** A sortable value: number for dates/numbers/_doc, string for keywords, undefined when the document has none. */
type SortKey = number | string | undefined;

interface Hit {
  doc: DocVersion;
  ordinal: number;
  score: number;
  keys: SortKey[];
}

function fieldSortKey(ref: FieldRef, doc: DocVersion, order: "asc" | "desc"): SortKey {
  if (ref.kind === "id") return doc.id;
  const values: Array<number | string> = ref.kind === "keyword" ? keywordsOf(doc, ref.path) : numbersOf(doc, ref.path);
  if (values.length === 0) return undefined;
  // Several values: ascending sorts by the smallest, descending by the largest (ES's default sort mode).
  return values.reduce((a, b) => (order === "asc" ? (b < a ? b : a) : b > a ? b : a));
}

function checkSortable(spec: SortSpec, index: IndexState, idFieldData: boolean): FieldRef | undefined {
  const ref = resolveField(index.mapping, spec.field);
  if (ref.kind === "text") {
    throw new ShardError(400, {
      type: "illegal_argument_exception",
      reason:
        `Fielddata is disabled on [${spec.field}] in [${index.name}]. Text fields are not optimised for operations that require per-document field data ` +
        "like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set " +
        `fielddata=true on [${spec.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    });
  }
  if (ref.kind === "unmapped" || ref.kind === "object") {
    if (spec.unmappedType !== undefined) return undefined;
    throw queryShardException(`No mapping found for [${spec.field}] in order to sort on`, index.name);
  }
  if (ref.kind === "id" && idFieldData) return ref;
  if (ref.kind === "id" || ref.kind === "index") {
    throw new ShardError(400, { type: "illegal_argument_exception", reason: `Fielddata access on the ${ref.path} field is disallowed` });
  }
  return ref;
}

function compareKeys(a: SortKey, b: SortKey, spec: SortSpec): number {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    const missingFirst = spec.missing === "_first";
    return (a === undefined) === missingFirst ? -1 : 1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return spec.order === "desc" ? -c : c;
}

function sortValueOut(key: SortKey, spec: SortSpec, isDate: boolean): unknown {
  if (key === undefined) return null;
  if (isDate && spec.format && typeof key === "number") return spec.format === "epoch_millis" ? String(key) : formatDate(key);
  return key;
}

function afterKey(value: unknown, spec: SortSpec, isDate: boolean, isKeyword: boolean): SortKey {
  if (value === null || value === undefined) return undefined;
  if (isKeyword) return String(value);
  if (isDate && typeof value === "string" && !/^-?\d+$/.test(value)) {
    const millis = parseDateValue(value, DEFAULT_DATE_FORMATS);
    if (millis === undefined) throw illegalArgument(`Failed to parse search_after value for field [${spec.field}].`);
    return millis;
  }
  const n = typeof value === "boolean" ? (value ? 1 : 0) : Number(value);
  if (!Number.isFinite(n)) throw illegalArgument(`Failed to parse search_after value for field [${spec.field}].`);
  return n;
}

export interface SearchOptions {
  targets: SearchTarget[];
  body: SearchBody;
  pit?: PointInTime;
  now: number;
  restTotalHitsAsInt?: boolean;
  typedKeys?: boolean;
  sourceParam?: unknown;
  startedAt: number;
  /**
   * What differs between the servers: Elasticsearch 7.12+ has `_shard_doc` (and adds it to every point-in-time
   * search as a tie-breaker) and refuses to sort on `_id` since 8.0 (`indices.id_field_data.enabled` false);
   * OpenSearch 2.x has no `_shard_doc` (3.3 added it), so it is an unmapped field there, no implicit tie-breaker,
   * and `_id` sorts (the setting defaults to true in OpenSearch's IndicesService). Default: Elasticsearch.
   */
  dialect?: { shardDoc: boolean; idFieldData: boolean };
}

function countTotal(total: number, track: boolean | number | undefined, asInt: boolean): unknown {
  if (track === false) return undefined;
  const limit = track === true ? Infinity : typeof track === "number" ? track : MAX_RESULT_WINDOW;
  const value = Math.min(total, limit);
  const relation = total > limit ? "gte" : "eq";
  return asInt ? value : { value, relation };
}

function shardFailureOf(error: unknown): { status: number; reason: EsErrorCause } {
  if (error instanceof ShardError) return { status: error.status, reason: error.reason };
  if (isEsApiError(error) && typeof error.detail === "object") return { status: error.status, reason: error.detail };
  throw error;
}

/** Runs a search; per-index failures become `_shards.failures`, or a 4xx/5xx when every index failed. */
export function executeSearch(options: SearchOptions): Record<string, unknown> {
  const { body, targets, pit } = options;
  const query: QueryNode = body.query === undefined ? { type: "match_all", boost: 1 } : parseQuery(body.query);
  const postFilter = body.post_filter === undefined ? undefined : parseQuery(body.post_filter);
  const size = body.size ?? 10;
  const from = body.from ?? 0;
  if (size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${size}]`);
  if (from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${from}]`);
  const sort = parseSort(body.sort);
  const source = sourceSpec(options.sourceParam ?? body._source);
  const aggs = parseAggregations(body.aggs ?? body.aggregations);
  if (body.timeout !== undefined) parseTimeValue(body.timeout, "timeout");
  const dialect = options.dialect ?? { shardDoc: true, idFieldData: false };
  const special = dialect.shardDoc ? ["_score", "_doc", "_shard_doc"] : ["_score", "_doc"];
  if (dialect.shardDoc && sort.some((s) => s.field === "_shard_doc") && !pit)
    throw validationFailed("[_shard_doc] sort field cannot be used without [point in time]");
  if (body.search_after && from > 0) throw illegalArgument("`from` parameter must be set to 0 when `search_after` is used.");
  // A point in time always sorts by _shard_doc last, so search_after has a tie-breaker.
  if (dialect.shardDoc && pit && !sort.some((s) => s.field === "_shard_doc")) {
    if (sort.length === 0) sort.push({ field: "_score", order: "desc", missing: "_last" });
    sort.push({ field: "_shard_doc", order: "asc", missing: "_last" });
  }
  const scoreSorted = sort.length === 0 || sort[0]?.field === "_score";
  const effectiveSort: SortSpec[] = sort.length === 0 ? [{ field: "_score", order: "desc", missing: "_last" }] : sort;
  if (body.search_after && body.search_after.length !== effectiveSort.length) {
    throw illegalArgument(`search_after has ${body.search_after.length} value(s) but sort has ${effectiveSort.length}.`);
  }

  const failures: Array<{ shard: number; index: string; node: string; reason: EsErrorCause; status: number }> = [];
  const hits: Hit[] = [];
  const matchedForAggs: DocVersion[] = [];
  const sortMeta = effectiveSort.map(() => ({ isDate: false, isKeyword: false }));
  targets.forEach((target, ordinal) => {
    try {
      if (from + size > MAX_RESULT_WINDOW) {
        throw new ShardError(400, {
          type: "illegal_argument_exception",
          reason:
            `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. ` +
            "See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the " +
            "[index.max_result_window] index level setting.",
        });
      }
      const ctx = { mapping: target.index.mapping, indexName: target.index.name, now: options.now };
      const matcher = bindQuery(query, ctx);
      const post = postFilter ? bindQuery(postFilter, ctx) : undefined;
      const refs = effectiveSort.map((spec) => (special.includes(spec.field) ? undefined : checkSortable(spec, target.index, dialect.idFieldData)));
      refs.forEach((ref, i) => {
        if (ref?.kind === "date") sortMeta[i]!.isDate = true;
        if (ref?.kind === "keyword" || ref?.kind === "id") sortMeta[i]!.isKeyword = true;
        if (!ref && effectiveSort[i]?.unmappedType === "date") sortMeta[i]!.isDate = true;
        if (!ref && effectiveSort[i]?.unmappedType === "keyword") sortMeta[i]!.isKeyword = true;
      });
      for (const doc of candidates(target.index, query, options.now).docs) {
        if (doc.seqNo > target.seqNo || (doc.goneAt !== undefined && doc.goneAt <= target.seqNo)) continue;
        const score = matcher(doc);
        if (score === undefined) continue;
        if (body.min_score !== undefined && score < body.min_score) continue;
        matchedForAggs.push(doc);
        if (post && post(doc) === undefined) continue;
        const keys = effectiveSort.map((spec, i): SortKey => {
          if (spec.field === "_score") return score;
          if (spec.field === "_doc") return ordinal * SHARD_DOC_FACTOR + doc.docNum;
          if (spec.field === "_shard_doc" && dialect.shardDoc) return ordinal * SHARD_DOC_FACTOR + doc.docNum;
          const ref = refs[i];
          if (!ref) return spec.missing === "_last" || spec.missing === "_first" ? undefined : (spec.missing as number | string);
          const key = fieldSortKey(ref, doc, spec.order);
          if (key === undefined && spec.missing !== "_last" && spec.missing !== "_first") {
            return ref.kind === "date" ? (parseDateValue(spec.missing, DEFAULT_DATE_FORMATS) ?? undefined) : spec.missing;
          }
          return key;
        });
        hits.push({ doc, ordinal, score, keys });
      }
    } catch (error) {
      const failure = shardFailureOf(error);
      failures.push({ shard: 0, index: target.index.name, node: "es-sim-node", ...failure });
    }
  });
  if (targets.length > 0 && failures.length === targets.length) throw allShardsFailed(failures);

  const compare = (a: Hit, b: Hit): number => {
    for (let i = 0; i < effectiveSort.length; i++) {
      const spec = effectiveSort[i]!;
      const c = compareKeys(a.keys[i], b.keys[i], spec);
      if (c !== 0) return c;
    }
    return a.ordinal - b.ordinal || a.doc.docNum - b.doc.docNum;
  };
  hits.sort(compare);
  const total = hits.length;
  let page = hits;
  if (body.search_after) {
    const after = body.search_after.map((v, i) => {
      const spec = effectiveSort[i]!;
      if (special.includes(spec.field)) return afterKey(v, spec, false, false);
      return afterKey(v, spec, sortMeta[i]!.isDate, sortMeta[i]!.isKeyword);
    });
    page = hits.filter((h) => {
      for (let i = 0; i < effectiveSort.length; i++) {
        const c = compareKeys(h.keys[i], after[i], effectiveSort[i]!);
        if (c !== 0) return c > 0;
      }
      return false;
    });
  }
  page = page.slice(from, from + size);
  const showScore = scoreSorted || body.track_scores === true;
  const maxScore = showScore && hits.length > 0 ? Math.max(...hits.map((h) => h.score)) : null;

  const renderedHits = page.map((h) => {
    const hit: Record<string, unknown> = { _index: h.doc.index.name, _id: h.doc.id };
    if (body.version) hit._version = h.doc.version;
    if (body.seq_no_primary_term) {
      hit._seq_no = h.doc.seqNo;
      hit._primary_term = 1;
    }
    hit._score = showScore ? h.score : null;
    if (h.doc.ignored.length > 0) hit._ignored = h.doc.ignored;
    if (source.enabled) {
      hit._source = source.includes.length === 0 && source.excludes.length === 0 ? h.doc.source : filterSource(h.doc.source, source.includes, source.excludes);
    }
    if (body.fields) hit.fields = fieldValues(h.doc, body.fields);
    if (sort.length > 0) hit.sort = h.keys.map((k, i) => sortValueOut(k, effectiveSort[i]!, sortMeta[i]!.isDate));
    return hit;
  });

  const hitsBody: Record<string, unknown> = {};
  const totalOut = countTotal(total, body.track_total_hits, options.restTotalHitsAsInt === true);
  if (totalOut !== undefined) hitsBody.total = totalOut;
  hitsBody.max_score = maxScore;
  hitsBody.hits = renderedHits;

  const response: Record<string, unknown> = {};
  if (pit) response.pit_id = pit.id;
  response.took = Math.max(0, Date.now() - options.startedAt);
  response.timed_out = false;
  const shards: Record<string, unknown> = { total: targets.length, successful: targets.length - failures.length, skipped: 0, failed: failures.length };
  if (failures.length > 0) shards.failures = failures.map(({ status: _status, ...f }) => f);
  response._shards = shards;
  response.hits = hitsBody;
  if (aggs) response.aggregations = computeAggregations(aggs, matchedForAggs, options.typedKeys === true);
  return response;
}

/** `fields` option: values per leaf field, dates printed as strict_date_optional_time or the asked format. */
function fieldValues(doc: DocVersion, requested: Array<string | { field: string; format?: string | undefined }>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const item of requested) {
    const pattern = typeof item === "string" ? item : item.field;
    const format = typeof item === "string" ? undefined : item.format;
    for (const name of expandFieldPatterns(doc.index.mapping, [pattern])) {
      const ref = resolveField(doc.index.mapping, name);
      if (ref.kind === "unmapped" || ref.kind === "object") continue;
      let values: unknown[];
      if (ref.kind === "keyword") values = keywordsOf(doc, ref.path);
      else if (ref.kind === "id") values = [doc.id];
      else if (ref.kind === "index") values = [doc.index.name];
      else if (ref.kind === "date") values = numbersOf(doc, ref.path).map((v) => (format === "epoch_millis" ? String(v) : formatDate(v)));
      else values = doc.values.get(ref.path) ?? [];
      if (values.length > 0) out[name] = values;
    }
  }
  return out;
}

/** `_count`: the number of matching documents, with the same per-index failure handling as a search. */
export function executeCount(targets: SearchTarget[], rawQuery: unknown, now: number): Record<string, unknown> {
  const query: QueryNode = rawQuery === undefined ? { type: "match_all", boost: 1 } : parseQuery(rawQuery);
  let count = 0;
  const failures: Array<{ shard: number; index: string; node: string; reason: EsErrorCause; status: number }> = [];
  for (const target of targets) {
    try {
      const matcher = bindQuery(query, { mapping: target.index.mapping, indexName: target.index.name, now });
      for (const doc of candidates(target.index, query, now).docs) {
        if (doc.seqNo > target.seqNo || (doc.goneAt !== undefined && doc.goneAt <= target.seqNo)) continue;
        if (matcher(doc) !== undefined) count++;
      }
    } catch (error) {
      failures.push({ shard: 0, index: target.index.name, node: "es-sim-node", ...shardFailureOf(error) });
    }
  }
  if (targets.length > 0 && failures.length === targets.length) throw allShardsFailed(failures);
  const shards: Record<string, unknown> = { total: targets.length, successful: targets.length - failures.length, skipped: 0, failed: failures.length };
  if (failures.length > 0) shards.failures = failures.map(({ status: _status, ...f }) => f);
  return { count, _shards: shards };
}
