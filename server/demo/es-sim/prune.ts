import "server-only";
import { parseDateMath, parseFormats } from "./dates";
import { KEYWORD_IGNORE_ABOVE, resolveField } from "./mapping";
import type { QueryNode } from "./query";
import type { DocVersion, IndexState } from "./store";

/**
 * Which documents of an index a query can match at all, without looking at each one: what Lucene's points (BKD
 * trees) do for a `range` on a date, the terms index for `ids`, and the can-match phase for `term` on `_index`.
 * Everything returned is still run through the full matcher, so pruning only ever drops documents that could not
 * match; the results are those of a full scan (tests compare both).
 *
 * Per index and date field, a time index: the documents with one value of the field, sorted by it (built on first
 * use, extended as documents arrive, mostly in time order as fluentd ships them), plus those with none or several
 * values, which are always scanned (those without one cannot match a required range).
 */

interface TimeIndex {
  /** The `versions` array it was built from (trimBefore replaces it) and how much of it is indexed. */
  versions: DocVersion[];
  indexed: number;
  keys: number[];
  docs: DocVersion[];
  /** Documents with several values: never pruned. */
  rest: DocVersion[];
}

const timeIndices = new WeakMap<IndexState, Map<string, TimeIndex>>();

/** Per index and keyword field, the documents holding each value, in write order: Lucene's postings lists. */
interface Postings {
  versions: DocVersion[];
  indexed: number;
  byValue: Map<string, DocVersion[]>;
}

const postingsOf = new WeakMap<IndexState, Map<string, Postings>>();

function postings(index: IndexState, path: string): Postings {
  let byField = postingsOf.get(index);
  if (!byField) {
    byField = new Map();
    postingsOf.set(index, byField);
  }
  let p = byField.get(path);
  if (!p || p.versions !== index.versions) {
    p = { versions: index.versions, indexed: 0, byValue: new Map() };
    byField.set(path, p);
  }
  for (let i = p.indexed; i < index.versions.length; i++) {
    const doc = index.versions[i]!;
    const values = doc.values.get(path);
    if (!values) continue;
    for (let v = 0; v < values.length; v++) {
      const value = String(values[v]);
      // As keywordsOf: values over ignore_above are not indexed; a value repeated in one document counts once.
      if (value.length > KEYWORD_IGNORE_ABOVE || (v > 0 && values.slice(0, v).map(String).includes(value))) continue;
      const list = p.byValue.get(value);
      if (list) list.push(doc);
      else p.byValue.set(value, [doc]);
    }
  }
  p.indexed = index.versions.length;
  return p;
}

function build(index: IndexState, path: string): TimeIndex {
  let byField = timeIndices.get(index);
  if (!byField) {
    byField = new Map();
    timeIndices.set(index, byField);
  }
  let ti = byField.get(path);
  if (!ti || ti.versions !== index.versions) {
    ti = { versions: index.versions, indexed: 0, keys: [], docs: [], rest: [] };
    byField.set(path, ti);
  }
  if (ti.indexed === index.versions.length) return ti;
  let freshKeys: number[] = [];
  let freshDocs: DocVersion[] = [];
  let ordered = true;
  for (let i = ti.indexed; i < index.versions.length; i++) {
    const doc = index.versions[i]!;
    const values = doc.values.get(path);
    // Without a value a required range never matches; with several, any may.
    if (!values || values.length === 0) continue;
    if (values.length > 1) {
      ti.rest.push(doc);
      continue;
    }
    const key = Number(values[0]);
    if (!Number.isFinite(key)) continue;
    if (freshKeys.length > 0 && key < freshKeys[freshKeys.length - 1]!) ordered = false;
    freshKeys.push(key);
    freshDocs.push(doc);
  }
  ti.indexed = index.versions.length;
  if (freshKeys.length === 0) return ti;
  if (!ordered) {
    // Out of order within the batch (a late flush): sort it, by position so keys and documents stay paired.
    const order = Array.from(freshKeys.keys()).sort((a, b) => freshKeys[a]! - freshKeys[b]!);
    const keys = freshKeys;
    const docs = freshDocs;
    freshKeys = order.map((i) => keys[i]!);
    freshDocs = order.map((i) => docs[i]!);
  }
  const last = ti.keys.length > 0 ? ti.keys[ti.keys.length - 1]! : -Infinity;
  if (freshKeys[0]! >= last) {
    // The usual case: documents arrive in time order, so the batch goes at the end.
    for (let i = 0; i < freshKeys.length; i++) {
      ti.keys.push(freshKeys[i]!);
      ti.docs.push(freshDocs[i]!);
    }
    return ti;
  }
  // Otherwise merge, linear in the index.
  const keys: number[] = new Array(ti.keys.length + freshKeys.length);
  const docs: DocVersion[] = new Array(keys.length);
  let a = 0;
  let b = 0;
  for (let o = 0; o < keys.length; o++) {
    if (b >= freshKeys.length || (a < ti.keys.length && ti.keys[a]! <= freshKeys[b]!)) {
      keys[o] = ti.keys[a]!;
      docs[o] = ti.docs[a++]!;
    } else {
      keys[o] = freshKeys[b]!;
      docs[o] = freshDocs[b++]!;
    }
  }
  ti.keys = keys;
  ti.docs = docs;
  return ti;
}

/** First position whose key is >= value (or > value when `after`). */
function lowerBound(keys: number[], value: number, after: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after ? keys[mid]! <= value : keys[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The clauses every match must satisfy: a bool's must and filter (recursively) and constant_score's filter. */
function required(node: QueryNode): QueryNode[] {
  if (node.type === "bool") return [node, ...[...node.must, ...node.filter].flatMap(required)];
  if (node.type === "constant_score") return [node, ...required(node.filter)];
  return [node];
}

export type Candidates = { docs: Iterable<DocVersion>; pruned: boolean };

/**
 * The documents of `index` worth matching against `query`; `{ pruned: false }` with every version when nothing
 * narrows it. `now` resolves date math as the range query does.
 */
export function candidates(index: IndexState, query: QueryNode, now: number): Candidates {
  const clauses = required(query);
  if (clauses.some((c) => c.type === "match_none")) return { docs: [], pruned: true };
  for (const c of clauses) {
    if (c.type === "term" && c.field === "_index" && String(c.value) !== index.name) return { docs: [], pruned: true };
    if (c.type === "terms" && c.field === "_index" && !c.values.map(String).includes(index.name)) return { docs: [], pruned: true };
  }
  const ids = clauses.find((c): c is Extract<QueryNode, { type: "ids" }> => c.type === "ids");
  if (ids) {
    // An index never updated or deleted from (logs are written once) has one version per id: the live one.
    // Otherwise every version of these ids, since a point in time may see a replaced one.
    if (index.versions.length === index.live.size) {
      return { docs: [...new Set(ids.values)].map((id) => index.live.get(id)).filter((d): d is DocVersion => d !== undefined), pruned: true };
    }
    const wanted = new Set(ids.values);
    return { docs: index.versions.filter((d) => wanted.has(d.id)), pruned: true };
  }
  // The rarest required exact term on a keyword field.
  let rarest: DocVersion[] | undefined;
  for (const c of clauses) {
    if (c.type !== "term" || c.caseInsensitive || typeof c.value !== "string") continue;
    if (resolveField(index.mapping, c.field).kind !== "keyword") continue;
    const list = postings(index, resolveField(index.mapping, c.field).path).byValue.get(c.value) ?? [];
    if (!rarest || list.length < rarest.length) rarest = list;
  }
  let best: { path: string; min: number; max: number; minOpen: boolean; maxOpen: boolean } | undefined;
  for (const c of clauses) {
    if (c.type !== "range") continue;
    const ref = resolveField(index.mapping, c.field);
    if (ref.kind !== "date") continue;
    const formats = parseFormats(c.format);
    let min = -Infinity;
    let max = Infinity;
    let minOpen = false;
    let maxOpen = false;
    try {
      for (const [op, value] of Object.entries(c.bounds)) {
        const at = parseDateMath(value, formats, now, op === "gt" || op === "lte");
        if (op === "gte" && at >= min) [min, minOpen] = [at, false];
        if (op === "gt" && at >= min) [min, minOpen] = [at, true];
        if (op === "lte" && at <= max) [max, maxOpen] = [at, false];
        if (op === "lt" && at <= max) [max, maxOpen] = [at, true];
      }
    } catch {
      // A bad bound fails in the matcher with ES's error; nothing to prune on here.
      continue;
    }
    if (!best) best = { path: ref.path, min, max, minOpen, maxOpen };
    else if (best.path === ref.path) {
      // Two ranges on the same field: both apply.
      if (min > best.min || (min === best.min && minOpen)) [best.min, best.minOpen] = [min, minOpen];
      if (max < best.max || (max === best.max && maxOpen)) [best.max, best.maxOpen] = [max, maxOpen];
    }
  }
  if (!best || (best.min === -Infinity && best.max === Infinity)) return rarest ? { docs: rarest, pruned: true } : { docs: index.versions, pruned: false };
  const ti = build(index, best.path);
  const from = lowerBound(ti.keys, best.min, best.minOpen);
  const to = lowerBound(ti.keys, best.max, !best.maxOpen);
  // Whichever is shorter: the term's postings or the time slice (a real engine leapfrogs both).
  if (rarest && rarest.length < to - from + ti.rest.length) return { docs: rarest, pruned: true };
  return { docs: sliceOf(ti.docs, from, to, ti.rest), pruned: true };
}

function sliceOf(docs: DocVersion[], from: number, to: number, rest: DocVersion[]): Iterable<DocVersion> {
  return {
    *[Symbol.iterator]() {
      for (let i = from; i < to; i++) yield docs[i]!;
      yield* rest;
    },
  };
}
