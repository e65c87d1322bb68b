import "server-only";
import { analyze, editDistance, normalize } from "./analysis";
import { parseDateMath, parseFormats, DEFAULT_DATE_FORMATS } from "./dates";
import { EsApiError, parsingException, queryShardException } from "./errors";
import { expandFieldPatterns, KEYWORD_IGNORE_ABOVE, resolveField, type FieldRef, type IndexMapping } from "./mapping";
import { parseSimpleQueryString, resolveFlags, type SqsNode } from "./simple-query-string";
import type { DocVersion } from "./store";

/**
 * The query DSL in two steps: `parseQuery` checks the JSON once per request (parsing_exception as ES words it),
 * `bindQuery` resolves field names against one index's mapping and returns a matcher giving a score or undefined.
 */

type Scalar = string | number | boolean;

export type QueryNode =
  | { type: "match_all"; boost: number }
  | { type: "match_none" }
  | { type: "bool"; must: QueryNode[]; filter: QueryNode[]; should: QueryNode[]; mustNot: QueryNode[]; msm?: string | number; boost: number }
  | { type: "term"; field: string; value: Scalar; caseInsensitive: boolean; boost: number }
  | { type: "terms"; field: string; values: Scalar[]; boost: number }
  | { type: "range"; field: string; bounds: RangeBounds; format?: string; boost: number }
  | { type: "exists"; field: string; boost: number }
  | { type: "match"; field: string; query: Scalar; operator: "and" | "or"; msm?: string | number; zeroTerms: "none" | "all"; lenient: boolean; boost: number }
  | { type: "match_phrase"; field: string; query: Scalar; slop: number; zeroTerms: "none" | "all"; boost: number }
  | { type: "simple_query_string"; query: string; fields: string[]; defaultOperator: "and" | "or"; flags: number; msm?: string | number; boost: number }
  | { type: "ids"; values: string[]; boost: number }
  | { type: "prefix"; field: string; value: string; caseInsensitive: boolean; boost: number }
  | { type: "constant_score"; filter: QueryNode; boost: number };

interface RangeBounds {
  gt?: Scalar;
  gte?: Scalar;
  lt?: Scalar;
  lte?: Scalar;
}

export type Matcher = (doc: DocVersion) => number | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function numberParam(name: string, key: string, value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw parsingException(`[${name}] failed to parse field [${key}]`);
  return n;
}

function booleanParam(name: string, key: string, value: unknown): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw parsingException(`[${name}] failed to parse field [${key}]`);
}

function msmParam(value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" || typeof value === "string") return value;
  throw parsingException("[minimum_should_match] must be a string or a number");
}

/** Single-field query bodies: `{field: value}` or `{field: {query|value: ..., options}}`. */
function singleField(name: string, body: unknown): [string, unknown] {
  if (!isObject(body)) throw parsingException(`[${name}] query malformed, no start_object after query name`);
  const entries = Object.entries(body).filter(([k]) => k !== "boost" && k !== "_name");
  if (entries.length === 0) throw parsingException(`[${name}] query malformed, no field specified`);
  if (entries.length > 1) throw parsingException(`[${name}] query doesn't support multiple fields, found [${entries[0]?.[0]}] and [${entries[1]?.[0]}]`);
  return entries[0] as [string, unknown];
}

function clauses(value: unknown): QueryNode[] {
  if (Array.isArray(value)) return value.map((v) => parseQuery(v));
  return [parseQuery(value)];
}

function checkKeys(name: string, body: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) throw parsingException(`[${name}] query does not support [${key}]`);
}

/** Queries a real cluster knows but this simulator does not implement: refused loudly, never silently mis-answered. */
const KNOWN_UNSUPPORTED = new Set([
  "query_string",
  "multi_match",
  "wildcard",
  "regexp",
  "fuzzy",
  "nested",
  "script",
  "script_score",
  "function_score",
  "dis_max",
  "boosting",
  "intervals",
  "match_bool_prefix",
  "match_phrase_prefix",
  "combined_fields",
  "terms_set",
  "more_like_this",
  "has_child",
  "has_parent",
  "geo_distance",
  "geo_bounding_box",
  "geo_shape",
  "span_term",
  "span_near",
  "distance_feature",
  "rank_feature",
  "percolate",
  "pinned",
  "wrapper",
  "knn",
]);

/** Parses one query clause as Elasticsearch's query parsers do, with their error messages. */
export function parseQuery(json: unknown): QueryNode {
  if (!isObject(json)) throw parsingException("[_na] query malformed, must start with start_object");
  const keys = Object.keys(json);
  if (keys.length === 0) throw parsingException("query malformed, empty clause found");
  if (keys.length > 1) throw parsingException(`[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const name = keys[0] as string;
  const body = json[name];
  const boostOf = (b: unknown) => (isObject(b) && b.boost !== undefined ? numberParam(name, "boost", b.boost) : 1);
  switch (name) {
    case "match_all":
      if (!isObject(body)) throw parsingException("[match_all] query malformed, no start_object after query name");
      checkKeys(name, body, ["boost", "_name"]);
      return { type: "match_all", boost: boostOf(body) };
    case "match_none":
      return { type: "match_none" };
    case "bool": {
      if (!isObject(body)) throw parsingException("[bool] query malformed, no start_object after query name");
      checkKeys(name, body, ["must", "filter", "should", "must_not", "minimum_should_match", "boost", "_name", "adjust_pure_negative"]);
      const node: QueryNode = {
        type: "bool",
        must: body.must === undefined ? [] : clauses(body.must),
        filter: body.filter === undefined ? [] : clauses(body.filter),
        should: body.should === undefined ? [] : clauses(body.should),
        mustNot: body.must_not === undefined ? [] : clauses(body.must_not),
        boost: boostOf(body),
      };
      const msm = msmParam(body.minimum_should_match);
      if (msm !== undefined) node.msm = msm;
      return node;
    }
    case "term":
    case "prefix": {
      const [field, spec] = singleField(name, body);
      let value: unknown = spec;
      let caseInsensitive = false;
      let boost = boostOf(body);
      if (isObject(spec)) {
        checkKeys(name, spec, ["value", "boost", "case_insensitive", "_name", "rewrite"]);
        value = spec.value;
        if (spec.case_insensitive !== undefined) caseInsensitive = booleanParam(name, "case_insensitive", spec.case_insensitive);
        if (spec.boost !== undefined) boost = numberParam(name, "boost", spec.boost);
      }
      if (Array.isArray(value)) throw parsingException(`[${name}] query does not support array of values`);
      if (!isScalar(value)) throw parsingException(`[${name}] query does not support [${field}]`);
      if (name === "prefix") return { type: "prefix", field, value: String(value), caseInsensitive, boost };
      return { type: "term", field, value, caseInsensitive, boost };
    }
    case "terms": {
      if (!isObject(body)) throw parsingException("[terms] query malformed, no start_object after query name");
      const entries = Object.entries(body).filter(([k]) => k !== "boost" && k !== "_name");
      if (entries.length !== 1) throw parsingException("[terms] query requires exactly one field");
      const [field, values] = entries[0] as [string, unknown];
      if (isObject(values)) throw new EsApiError(400, { type: "illegal_argument_exception", reason: "[es-sim] terms lookup is not supported" });
      if (!Array.isArray(values)) throw parsingException(`[terms] query does not support [${field}]`);
      if (!values.every(isScalar)) throw parsingException("[terms] query does not support values that are not strings, numbers or booleans");
      return { type: "terms", field, values, boost: boostOf(body) };
    }
    case "range": {
      const [field, spec] = singleField(name, body);
      if (!isObject(spec)) throw parsingException(`[range] query malformed, no start_object after query name`);
      checkKeys(name, spec, ["gt", "gte", "lt", "lte", "from", "to", "include_lower", "include_upper", "format", "boost", "_name", "relation", "time_zone"]);
      if (spec.time_zone !== undefined && spec.time_zone !== "UTC" && spec.time_zone !== "Z" && spec.time_zone !== "+00:00") {
        throw new EsApiError(400, { type: "illegal_argument_exception", reason: "[es-sim] range time_zone other than UTC is not supported" });
      }
      const bounds: RangeBounds = {};
      const bound = (v: unknown, key: string): Scalar | undefined => {
        if (v === undefined || v === null) return undefined;
        if (!isScalar(v)) throw parsingException(`[range] query does not support [${key}]`);
        return v;
      };
      const lower = bound(spec.from, "from");
      const upper = bound(spec.to, "to");
      if (lower !== undefined) bounds[spec.include_lower === false ? "gt" : "gte"] = lower;
      if (upper !== undefined) bounds[spec.include_upper === false ? "lt" : "lte"] = upper;
      for (const key of ["gt", "gte", "lt", "lte"] as const) {
        const v = bound(spec[key], key);
        if (v !== undefined) bounds[key] = v;
      }
      const node: QueryNode = { type: "range", field, bounds, boost: spec.boost === undefined ? 1 : numberParam(name, "boost", spec.boost) };
      if (spec.format !== undefined) node.format = String(spec.format);
      return node;
    }
    case "exists": {
      if (!isObject(body) || typeof body.field !== "string") throw parsingException("[exists] must be provided with a [field]");
      checkKeys(name, body, ["field", "boost", "_name"]);
      return { type: "exists", field: body.field, boost: boostOf(body) };
    }
    case "match":
    case "match_phrase": {
      const [field, spec] = singleField(name, body);
      const options = isObject(spec) ? spec : { query: spec };
      const allowed =
        name === "match"
          ? [
              "query",
              "operator",
              "minimum_should_match",
              "zero_terms_query",
              "lenient",
              "boost",
              "_name",
              "analyzer",
              "fuzziness",
              "auto_generate_synonyms_phrase_query",
            ]
          : ["query", "slop", "zero_terms_query", "boost", "_name", "analyzer"];
      checkKeys(name, options, allowed);
      if (!isScalar(options.query))
        throw parsingException(`[${name}] unknown token [${Array.isArray(options.query) ? "START_ARRAY" : "START_OBJECT"}] after [query]`);
      const zeroTerms = options.zero_terms_query === undefined ? "none" : String(options.zero_terms_query).toLowerCase();
      if (zeroTerms !== "none" && zeroTerms !== "all") throw parsingException(`Unsupported zero_terms_query value [${String(options.zero_terms_query)}]`);
      const boost = options.boost === undefined ? 1 : numberParam(name, "boost", options.boost);
      if (name === "match_phrase") {
        const slop = options.slop === undefined ? 0 : numberParam(name, "slop", options.slop);
        return { type: "match_phrase", field, query: options.query, slop, zeroTerms, boost };
      }
      const operator = options.operator === undefined ? "or" : String(options.operator).toLowerCase();
      if (operator !== "and" && operator !== "or") throw illegalOperator(String(options.operator));
      const node: QueryNode = {
        type: "match",
        field,
        query: options.query,
        operator,
        zeroTerms,
        lenient: options.lenient === undefined ? false : booleanParam(name, "lenient", options.lenient),
        boost,
      };
      const msm = msmParam(options.minimum_should_match);
      if (msm !== undefined) node.msm = msm;
      return node;
    }
    case "simple_query_string": {
      if (!isObject(body)) throw parsingException("[simple_query_string] query malformed, no start_object after query name");
      checkKeys(name, body, [
        "query",
        "fields",
        "default_operator",
        "flags",
        "minimum_should_match",
        "lenient",
        "analyze_wildcard",
        "boost",
        "_name",
        "auto_generate_synonyms_phrase_query",
        "fuzzy_prefix_length",
        "fuzzy_max_expansions",
        "fuzzy_transpositions",
        "quote_field_suffix",
        "analyzer",
      ]);
      if (typeof body.query !== "string") throw parsingException("[simple_query_string] query text missing");
      const fields = body.fields === undefined ? ["*"] : body.fields;
      if (!Array.isArray(fields) || !fields.every((f) => typeof f === "string"))
        throw parsingException("[simple_query_string] query does not support [fields]");
      const operator = body.default_operator === undefined ? "or" : String(body.default_operator).toLowerCase();
      if (operator !== "and" && operator !== "or") throw illegalOperator(String(body.default_operator));
      const node: QueryNode = {
        type: "simple_query_string",
        query: body.query,
        fields,
        defaultOperator: operator,
        flags: resolveFlags(body.flags),
        boost: boostOf(body),
      };
      const msm = msmParam(body.minimum_should_match);
      if (msm !== undefined) node.msm = msm;
      return node;
    }
    case "ids": {
      if (!isObject(body) || !Array.isArray(body.values)) throw parsingException("[ids] query malformed, no values");
      return { type: "ids", values: body.values.map(String), boost: boostOf(body) };
    }
    case "constant_score": {
      if (!isObject(body) || body.filter === undefined) throw parsingException("[constant_score] requires a 'filter' element");
      return { type: "constant_score", filter: parseQuery(body.filter), boost: boostOf(body) };
    }
    default:
      if (KNOWN_UNSUPPORTED.has(name))
        throw new EsApiError(400, { type: "illegal_argument_exception", reason: `[es-sim] the [${name}] query is not supported by this simulator` });
      throw new EsApiError(400, {
        type: "parsing_exception",
        reason: `unknown query [${name}]`,
        caused_by: { type: "named_object_not_found_exception", reason: `[1:1] unknown field [${name}]` },
      });
  }
}

function illegalOperator(value: string): EsApiError {
  return new EsApiError(400, { type: "illegal_argument_exception", reason: `No enum constant org.elasticsearch.index.query.Operator.${value.toUpperCase()}` });
}

/** minimum_should_match as ES reads it: "2", "-1", "75%", "-25%", relative to the number of optional clauses. */
export function requiredShould(msm: string | number | undefined, optional: number, fallback: number): number {
  if (msm === undefined) return fallback;
  const text = String(msm).trim();
  let n: number;
  if (text.endsWith("%")) {
    const pct = Number(text.slice(0, -1));
    n = pct < 0 ? optional + Math.trunc((optional * pct) / 100) : Math.trunc((optional * pct) / 100);
  } else {
    const v = Number(text);
    n = v < 0 ? optional + v : v;
  }
  if (!Number.isFinite(n)) return fallback;
  return Math.max(0, Math.min(n, optional));
}

export interface BindContext {
  mapping: IndexMapping;
  indexName: string;
  now: number;
}

/** Analysed tokens of a text field, one list per value. */
export function tokensOf(doc: DocVersion, path: string): string[][] {
  doc.tokens ??= new Map();
  let tokens = doc.tokens.get(path);
  if (!tokens) {
    tokens = (doc.values.get(path) ?? []).map((v) => analyze(String(v)));
    doc.tokens.set(path, tokens);
  }
  return tokens;
}

export function keywordsOf(doc: DocVersion, path: string): string[] {
  return (doc.values.get(path) ?? []).map(String).filter((v) => v.length <= KEYWORD_IGNORE_ABOVE);
}

export function numbersOf(doc: DocVersion, path: string): number[] {
  return (doc.values.get(path) ?? []).map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : Number(v)));
}

function phraseIn(tokens: string[], phrase: string[], slop: number): boolean {
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start] !== phrase[0]) continue;
    let pos = start;
    let budget = slop;
    let ok = true;
    for (let k = 1; k < phrase.length && ok; k++) {
      let found = -1;
      for (let q = pos + 1; q <= pos + 1 + budget && q < tokens.length; q++) {
        if (tokens[q] === phrase[k]) {
          found = q;
          break;
        }
      }
      if (found < 0) ok = false;
      else {
        budget -= found - pos - 1;
        pos = found;
      }
    }
    if (ok) return true;
  }
  return false;
}

type Predicate = (doc: DocVersion) => boolean;
const NEVER: Predicate = () => false;

function toNumber(ref: FieldRef, value: Scalar, ctx: BindContext): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(n)) {
    throw queryShardException(`failed to create query: For input string: "${String(value)}"`, ctx.indexName, {
      type: "number_format_exception",
      reason: `For input string: "${String(value)}"`,
    });
  }
  if (ref.kind === "long" && !Number.isInteger(n)) return NaN;
  return n;
}

function toBoolean(value: Scalar, ctx: BindContext): number {
  if (value === true || value === "true") return 1;
  if (value === false || value === "false") return 0;
  throw queryShardException(`failed to create query: Can't parse boolean value [${String(value)}], expected [true] or [false]`, ctx.indexName);
}

function dateBounds(value: Scalar, ctx: BindContext, formats = DEFAULT_DATE_FORMATS): [number, number] {
  try {
    return [parseDateMath(value, formats, ctx.now, false), parseDateMath(value, formats, ctx.now, true)];
  } catch (e) {
    throw queryShardException(`failed to create query: ${e instanceof Error ? e.message : String(e)}`, ctx.indexName);
  }
}

/** A term as ES's field types interpret it; `lenient` turns values the field cannot hold into no match. */
function termPredicate(ref: FieldRef, value: Scalar, ctx: BindContext, caseInsensitive = false, lenient = false): Predicate {
  try {
    switch (ref.kind) {
      case "text": {
        const term = caseInsensitive ? String(value).toLowerCase() : String(value);
        return (doc) => tokensOf(doc, ref.path).some((tokens) => tokens.some((t) => (caseInsensitive ? t.toLowerCase() : t) === term));
      }
      case "keyword": {
        const term = String(value);
        if (caseInsensitive) return (doc) => keywordsOf(doc, ref.path).some((v) => v.toLowerCase() === term.toLowerCase());
        return (doc) => keywordsOf(doc, ref.path).includes(term);
      }
      case "long":
      case "float": {
        const n = toNumber(ref, value, ctx);
        return (doc) => numbersOf(doc, ref.path).includes(n);
      }
      case "boolean": {
        const b = toBoolean(value, ctx);
        return (doc) => numbersOf(doc, ref.path).includes(b);
      }
      case "date": {
        // A term on a date matches the whole precision it names, as ES turns it into a range.
        const [from, to] = dateBounds(value, ctx);
        return (doc) => numbersOf(doc, ref.path).some((v) => v >= from && v <= to);
      }
      case "id":
        return (doc) => doc.id === String(value);
      case "index":
        return (doc) => doc.index.name === String(value);
      default:
        return NEVER;
    }
  } catch (e) {
    if (lenient) return NEVER;
    throw e;
  }
}

function compareScalar(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rangePredicate(ref: FieldRef, bounds: RangeBounds, format: string | undefined, ctx: BindContext): Predicate {
  const entries = Object.entries(bounds) as Array<[keyof RangeBounds, Scalar]>;
  const check = (v: string | number, limits: Array<[keyof RangeBounds, string | number]>) =>
    limits.every(([op, limit]) => {
      const c = compareScalar(v, limit);
      return op === "gt" ? c > 0 : op === "gte" ? c >= 0 : op === "lt" ? c < 0 : c <= 0;
    });
  switch (ref.kind) {
    case "date": {
      const formats = parseFormats(format);
      const limits = entries.map(([op, value]): [keyof RangeBounds, number] => {
        try {
          return [op, parseDateMath(value, formats, ctx.now, op === "gt" || op === "lte")];
        } catch (e) {
          throw queryShardException(`failed to create query: ${e instanceof Error ? e.message : String(e)}`, ctx.indexName);
        }
      });
      return (doc) => numbersOf(doc, ref.path).some((v) => check(v, limits));
    }
    case "long":
    case "float":
    case "boolean": {
      const limits = entries.map(([op, value]): [keyof RangeBounds, number] => [
        op,
        ref.kind === "boolean" ? toBoolean(value, ctx) : toNumber({ kind: "float", path: ref.path }, value, ctx),
      ]);
      return (doc) => numbersOf(doc, ref.path).some((v) => check(v, limits));
    }
    case "keyword": {
      const limits = entries.map(([op, value]): [keyof RangeBounds, string] => [op, String(value)]);
      return (doc) => keywordsOf(doc, ref.path).some((v) => check(v, limits));
    }
    case "text": {
      const limits = entries.map(([op, value]): [keyof RangeBounds, string] => [op, String(value)]);
      return (doc) => tokensOf(doc, ref.path).some((tokens) => tokens.some((t) => check(t, limits)));
    }
    case "id": {
      const limits = entries.map(([op, value]): [keyof RangeBounds, string] => [op, String(value)]);
      return (doc) => check(doc.id, limits);
    }
    default:
      return NEVER;
  }
}

function existsPredicate(ref: FieldRef, mapping: IndexMapping): Predicate {
  switch (ref.kind) {
    case "id":
    case "index":
      return () => true;
    case "keyword":
      return (doc) => keywordsOf(doc, ref.path).length > 0;
    case "object": {
      const prefix = `${ref.path}.`;
      const leaves = [...mapping.leaves.keys()].filter((p) => p.startsWith(prefix));
      return (doc) => leaves.some((p) => (doc.values.get(p)?.length ?? 0) > 0);
    }
    case "unmapped":
      return NEVER;
    default:
      return (doc) => (doc.values.get(ref.path)?.length ?? 0) > 0;
  }
}

/** Per-field pieces of match, match_phrase and simple_query_string: null when analysis leaves nothing to find. */
function analysedTerms(ref: FieldRef, text: string, operator: "and" | "or", ctx: BindContext): Matcher | null {
  if (ref.kind === "text") {
    const tokens = [...new Set(analyze(text))];
    if (tokens.length === 0) return null;
    return (doc) => {
      const all = tokensOf(doc, ref.path).flat();
      const hits = tokens.filter((t) => all.includes(t)).length;
      return (operator === "and" ? hits === tokens.length : hits > 0) ? hits : undefined;
    };
  }
  if (ref.kind === "keyword" && text === "") return null;
  if (ref.kind === "unmapped" || ref.kind === "object") return null;
  const p = termPredicate(ref, text, ctx, false, true);
  return (doc) => (p(doc) ? 1 : undefined);
}

function phraseMatcher(ref: FieldRef, text: string, slop: number, ctx: BindContext): Matcher | null {
  if (ref.kind !== "text") return analysedTerms(ref, text, "and", ctx);
  const phrase = analyze(text);
  if (phrase.length === 0) return null;
  return (doc) => (tokensOf(doc, ref.path).some((tokens) => phraseIn(tokens, phrase, slop)) ? phrase.length : undefined);
}

function prefixPredicate(ref: FieldRef, prefix: string, caseInsensitive: boolean): Predicate | null {
  if (ref.kind === "text") {
    const p = normalize(prefix);
    return (doc) => tokensOf(doc, ref.path).some((tokens) => tokens.some((t) => t.startsWith(p)));
  }
  if (ref.kind === "keyword") {
    if (caseInsensitive) return (doc) => keywordsOf(doc, ref.path).some((v) => v.toLowerCase().startsWith(prefix.toLowerCase()));
    return (doc) => keywordsOf(doc, ref.path).some((v) => v.startsWith(prefix));
  }
  if (ref.kind === "id") return (doc) => doc.id.startsWith(prefix);
  return null;
}

function fuzzyPredicate(ref: FieldRef, text: string, distance: number): Predicate | null {
  if (ref.kind === "text") {
    const term = normalize(text);
    return (doc) => tokensOf(doc, ref.path).some((tokens) => tokens.some((t) => editDistance(t, term, distance) <= distance));
  }
  if (ref.kind === "keyword") return (doc) => keywordsOf(doc, ref.path).some((v) => editDistance(v, text, distance) <= distance);
  return null;
}

function fromPredicate(p: Predicate | null, score = 1): Matcher | null {
  return p === null ? null : (doc) => (p(doc) ? score : undefined);
}

/** Any field may match (ES's dis_max over fields); null if no field could search for this text. */
function acrossFields(refs: FieldRef[], build: (ref: FieldRef) => Matcher | null): Matcher | null {
  const matchers = refs.map(build).filter((m): m is Matcher => m !== null);
  if (matchers.length === 0) return null;
  return (doc) => {
    let best: number | undefined;
    for (const m of matchers) {
      const s = m(doc);
      if (s !== undefined && (best === undefined || s > best)) best = s;
    }
    return best;
  };
}

function sqsMatcher(node: SqsNode<Matcher>, msm?: string | number): Matcher {
  if (node.kind === "leaf") return node.query;
  if (node.kind === "all") return () => 1;
  const must = node.clauses.filter((c) => c.occur === "must").map((c) => sqsMatcher(c.node));
  const should = node.clauses.filter((c) => c.occur === "should").map((c) => sqsMatcher(c.node));
  const mustNot = node.clauses.filter((c) => c.occur === "must_not").map((c) => sqsMatcher(c.node));
  return booleanMatcher(must, [], should, mustNot, requiredShould(msm, should.length, must.length === 0 && should.length > 0 ? 1 : 0), 1);
}

function booleanMatcher(must: Matcher[], filter: Matcher[], should: Matcher[], mustNot: Matcher[], requiredShoulds: number, boost: number): Matcher {
  const pureNegative = must.length === 0 && filter.length === 0 && should.length === 0;
  return (doc) => {
    if (pureNegative && mustNot.length > 0) {
      // ES adds match_all to a bool that only excludes (adjust_pure_negative).
      return mustNot.some((m) => m(doc) !== undefined) ? undefined : boost;
    }
    let score = 0;
    for (const m of must) {
      const s = m(doc);
      if (s === undefined) return undefined;
      score += s;
    }
    for (const m of filter) if (m(doc) === undefined) return undefined;
    for (const m of mustNot) if (m(doc) !== undefined) return undefined;
    let matched = 0;
    for (const m of should) {
      const s = m(doc);
      if (s !== undefined) {
        matched++;
        score += s;
      }
    }
    if (matched < requiredShoulds) return undefined;
    return score * boost;
  };
}

/** The query bound to one index's mapping. */
export function bindQuery(node: QueryNode, ctx: BindContext): Matcher {
  const field = (name: string) => resolveField(ctx.mapping, name);
  switch (node.type) {
    case "match_all":
      return () => node.boost;
    case "match_none":
      return () => undefined;
    case "bool": {
      const must = node.must.map((q) => bindQuery(q, ctx));
      const filter = node.filter.map((q) => bindQuery(q, ctx));
      const should = node.should.map((q) => bindQuery(q, ctx));
      const mustNot = node.mustNot.map((q) => bindQuery(q, ctx));
      const fallback = must.length === 0 && filter.length === 0 && should.length > 0 ? 1 : 0;
      return booleanMatcher(must, filter, should, mustNot, requiredShould(node.msm, should.length, fallback), node.boost);
    }
    case "term":
      return fromPredicate(termPredicate(field(node.field), node.value, ctx, node.caseInsensitive), node.boost) ?? (() => undefined);
    case "terms": {
      const ref = field(node.field);
      const predicates = node.values.map((v) => termPredicate(ref, v, ctx));
      return (doc) => (predicates.some((p) => p(doc)) ? node.boost : undefined);
    }
    case "range":
      return fromPredicate(rangePredicate(field(node.field), node.bounds, node.format, ctx), node.boost) ?? (() => undefined);
    case "exists":
      return fromPredicate(existsPredicate(field(node.field), ctx.mapping), node.boost) ?? (() => undefined);
    case "ids":
      return (doc) => (node.values.includes(doc.id) ? node.boost : undefined);
    case "prefix":
      return fromPredicate(prefixPredicate(field(node.field), node.value, node.caseInsensitive), node.boost) ?? (() => undefined);
    case "constant_score": {
      const inner = bindQuery(node.filter, ctx);
      return (doc) => (inner(doc) === undefined ? undefined : node.boost);
    }
    case "match": {
      const ref = field(node.field);
      const text = String(node.query);
      if (ref.kind === "text") {
        const tokens = [...new Set(analyze(text))];
        if (tokens.length === 0) return node.zeroTerms === "all" ? () => node.boost : () => undefined;
        const required = node.operator === "and" ? tokens.length : Math.max(1, requiredShould(node.msm, tokens.length, 1));
        return (doc) => {
          const all = new Set(tokensOf(doc, ref.path).flat());
          const hits = tokens.filter((t) => all.has(t)).length;
          return hits >= required ? hits * node.boost : undefined;
        };
      }
      return fromPredicate(termPredicate(ref, node.query, ctx, false, node.lenient), node.boost) ?? (() => undefined);
    }
    case "match_phrase": {
      const m = phraseMatcher(field(node.field), String(node.query), node.slop, ctx);
      if (m === null) return node.zeroTerms === "all" ? () => node.boost : () => undefined;
      return m;
    }
    case "simple_query_string": {
      const refs = expandFieldPatterns(ctx.mapping, node.fields).map(field);
      const tree = parseSimpleQueryString<Matcher>(node.query, node.flags, node.defaultOperator, {
        term: (text) => acrossFields(refs, (ref) => analysedTerms(ref, text, node.defaultOperator, ctx)),
        phrase: (text, slop) => acrossFields(refs, (ref) => phraseMatcher(ref, text, slop, ctx)),
        prefix: (text) => acrossFields(refs, (ref) => fromPredicate(prefixPredicate(ref, text, false))),
        fuzzy: (text, distance) => acrossFields(refs, (ref) => fromPredicate(fuzzyPredicate(ref, text, distance))),
      });
      // Nothing left to search for matches nothing, as Lucene's parser returns MatchNoDocsQuery.
      if (tree === null) return () => undefined;
      const m = sqsMatcher(tree, node.msm);
      return (doc) => {
        const s = m(doc);
        return s === undefined ? undefined : s * node.boost;
      };
    }
  }
}
