import "server-only";
import { DEFAULT_DATE_FORMATS, parseDateValue, parseIsoDate } from "./dates";
import { EsApiError, type EsErrorCause } from "./errors";

/**
 * Dynamic mapping as Elasticsearch applies it without a template: strings become `text` with a `keyword`
 * sub-field (ignore_above 256) unless they look like a date, whole numbers `long`, others `float`, booleans
 * `boolean`; objects map their fields under dotted paths. The first document to name a field fixes its type.
 */

export type LeafType = "text" | "long" | "float" | "boolean" | "date";

export const KEYWORD_IGNORE_ABOVE = 256;
const TOTAL_FIELDS_LIMIT = 1000;
const METADATA_FIELDS = new Set([
  "_id",
  "_index",
  "_source",
  "_routing",
  "_seq_no",
  "_version",
  "_primary_term",
  "_ignored",
  "_field_names",
  "_doc_count",
  "_tier",
  "_data_stream_timestamp",
]);

export interface IndexMapping {
  leaves: Map<string, LeafType>;
  objects: Set<string>;
}

export function emptyMapping(): IndexMapping {
  return { leaves: new Map(), objects: new Set() };
}

/** Values of one document by leaf path: strings for text, numbers for long/float, epoch millis for dates. */
export interface IndexedFields {
  values: Map<string, Array<string | number | boolean>>;
  /** Fields whose values were not indexed (keyword values over ignore_above), reported as `_ignored`. */
  ignored: string[];
}

export interface MappingContext {
  /** `document_parsing_exception` (Elasticsearch 8.8+) or `mapper_parsing_exception` (OpenSearch). */
  errorType: string;
  id: string;
}

function preview(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function fieldError(ctx: MappingContext, path: string, type: string, value: unknown, causedBy: EsErrorCause): EsApiError {
  const reason = `failed to parse field [${path}] of type [${type}] in document with id '${ctx.id}'. Preview of field's value: '${preview(value)}'`;
  return new EsApiError(400, { type: ctx.errorType, reason, caused_by: causedBy });
}

function detect(value: string | number | boolean): LeafType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "long" : "float";
  // Date detection uses strict_date_optional_time; a bare year such as "2026" is left as text here.
  return /^\d{4}-\d{2}-\d{2}/.test(value) && parseIsoDate(value) !== undefined ? "date" : "text";
}

function coerce(ctx: MappingContext, path: string, type: LeafType, value: string | number | boolean): string | number | boolean {
  switch (type) {
    case "text":
      return String(value);
    case "long":
    case "float": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      if (!Number.isFinite(n)) {
        throw fieldError(ctx, path, type, value, { type: "illegal_argument_exception", reason: `For input string: "${String(value)}"` });
      }
      return type === "long" ? Math.trunc(n) : n;
    }
    case "boolean":
      if (value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      throw fieldError(ctx, path, type, value, {
        type: "illegal_argument_exception",
        reason: `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
      });
    case "date": {
      const millis = typeof value === "boolean" ? undefined : parseDateValue(value, DEFAULT_DATE_FORMATS);
      if (millis === undefined) {
        throw fieldError(ctx, path, type, value, {
          type: "illegal_argument_exception",
          reason: `failed to parse date field [${String(value)}] with format [strict_date_optional_time||epoch_millis]`,
        });
      }
      return millis;
    }
  }
}

function countFields(leaves: Map<string, LeafType>, objects: Set<string>): number {
  let n = objects.size;
  for (const type of leaves.values()) n += type === "text" ? 2 : 1;
  return n;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Indexes one source document against `mapping`, adding new fields to it only when the whole document is accepted
 * (as ES applies a mapping update with the document that caused it).
 */
export function indexDocument(mapping: IndexMapping, source: Record<string, unknown>, ctx: MappingContext): IndexedFields {
  const newLeaves = new Map<string, LeafType>();
  const newObjects = new Set<string>();
  const values = new Map<string, Array<string | number | boolean>>();
  const typeOf = (path: string) => mapping.leaves.get(path) ?? newLeaves.get(path);
  const isObject = (path: string) => mapping.objects.has(path) || newObjects.has(path);

  const walk = (value: unknown, path: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
      return;
    }
    if (isPlainObject(value)) {
      if (path) {
        const leaf = typeOf(path);
        if (leaf) {
          throw fieldError(ctx, path, leaf, value, { type: "illegal_state_exception", reason: "Can't get text on a START_OBJECT" });
        }
        if (!isObject(path)) newObjects.add(path);
      }
      for (const [key, child] of Object.entries(value)) {
        if (key.trim() === "" || /^\.|\.$|\.\./.test(key)) {
          throw new EsApiError(400, { type: ctx.errorType, reason: `field name cannot contain only whitespace or dots: ['${key}']` });
        }
        if (!path && METADATA_FIELDS.has(key)) {
          const reason = `Field [${key}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`;
          throw new EsApiError(400, { type: ctx.errorType, reason });
        }
        // A dotted key is the same field as the nested objects it names, as ES reads `{"a.b": 1}`.
        const parts = key.split(".");
        let childPath = path;
        for (const part of parts.slice(0, -1)) {
          childPath = childPath ? `${childPath}.${part}` : part;
          if (typeOf(childPath))
            throw fieldError(ctx, childPath, typeOf(childPath) ?? "object", child, {
              type: "illegal_state_exception",
              reason: "Can't get text on a START_OBJECT",
            });
          if (!isObject(childPath)) newObjects.add(childPath);
        }
        walk(child, childPath ? `${childPath}.${parts.at(-1)}` : (parts.at(-1) ?? key));
      }
      return;
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return;
    if (isObject(path)) {
      const reason = `object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value`;
      throw new EsApiError(400, { type: ctx.errorType, reason });
    }
    let type = typeOf(path);
    if (!type) {
      type = detect(value);
      newLeaves.set(path, type);
    }
    const list = values.get(path) ?? [];
    list.push(coerce(ctx, path, type, value));
    values.set(path, list);
  };

  walk(source, "");
  if (newLeaves.size > 0 || newObjects.size > 0) {
    const total = countFields(mapping.leaves, mapping.objects) + countFields(newLeaves, newObjects);
    if (total > TOTAL_FIELDS_LIMIT) {
      const added = countFields(newLeaves, newObjects);
      throw new EsApiError(400, {
        type: "illegal_argument_exception",
        reason: `Limit of total fields [${TOTAL_FIELDS_LIMIT}] has been exceeded while adding new fields [${added}]`,
      });
    }
    for (const [path, type] of newLeaves) mapping.leaves.set(path, type);
    for (const path of newObjects) mapping.objects.add(path);
  }
  const ignored: string[] = [];
  for (const [path, list] of values) {
    if (typeOf(path) === "text" && list.some((v) => String(v).length > KEYWORD_IGNORE_ABOVE)) ignored.push(`${path}.keyword`);
  }
  return { values, ignored };
}

/** How a field name in a query resolves against one index's mapping. */
export type FieldRef =
  | { kind: "text"; path: string }
  | { kind: "keyword"; path: string }
  | { kind: "long" | "float" | "boolean" | "date"; path: string }
  | { kind: "id" | "index"; path: string }
  | { kind: "object"; path: string }
  | { kind: "unmapped"; path: string };

export function resolveField(mapping: IndexMapping, name: string): FieldRef {
  if (name === "_id") return { kind: "id", path: name };
  if (name === "_index") return { kind: "index", path: name };
  const leaf = mapping.leaves.get(name);
  if (leaf === "text") return { kind: "text", path: name };
  if (leaf) return { kind: leaf, path: name };
  if (name.endsWith(".keyword") && mapping.leaves.get(name.slice(0, -8)) === "text") return { kind: "keyword", path: name.slice(0, -8) };
  if (mapping.objects.has(name)) return { kind: "object", path: name };
  return { kind: "unmapped", path: name };
}

/** Every searchable field name of the mapping (text fields and their keyword sub-fields included). */
export function allFieldNames(mapping: IndexMapping): string[] {
  const names: string[] = [];
  for (const [path, type] of mapping.leaves) {
    names.push(path);
    if (type === "text") names.push(`${path}.keyword`);
  }
  return names.sort();
}

/** `fields` patterns such as `kubernetes.*` or `log^2` to field names of this mapping. */
export function expandFieldPatterns(mapping: IndexMapping, patterns: string[]): string[] {
  const out = new Set<string>();
  for (const raw of patterns) {
    const pattern = raw.replace(/\^[\d.]+$/, "");
    if (!pattern.includes("*")) {
      out.add(pattern);
      continue;
    }
    const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
    for (const name of allFieldNames(mapping)) if (re.test(name)) out.add(name);
  }
  return [...out];
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The mapping as `GET /<index>/_mapping` shows it. */
export function mappingBody(mapping: IndexMapping): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const nodeFor = (path: string): Record<string, unknown> => {
    let node = root;
    for (const part of path.split(".")) {
      const next = (node[part] ??= { properties: {} }) as { properties: Record<string, unknown> };
      next.properties ??= {};
      node = next.properties;
    }
    return node;
  };
  for (const path of [...mapping.objects].sort()) nodeFor(path);
  for (const [path, type] of [...mapping.leaves].sort(([a], [b]) => a.localeCompare(b))) {
    const at = path.lastIndexOf(".");
    const parent = at < 0 ? root : nodeFor(path.slice(0, at));
    const name = path.slice(at + 1);
    parent[name] = type === "text" ? { type: "text", fields: { keyword: { type: "keyword", ignore_above: KEYWORD_IGNORE_ABOVE } } } : { type };
  }
  return { properties: root };
}
