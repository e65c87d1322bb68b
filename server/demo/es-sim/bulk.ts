import "server-only";
import { EsApiError, illegalArgument, isEsApiError, validationFailed, type EsErrorCause } from "./errors";
import { autoId, invalidIndexName, type DocumentStore, type IndexState, type WriteResult } from "./store";

/**
 * `POST /_bulk` as Elasticsearch reads it: NDJSON action lines (`index`, `create`, `update`, `delete`), each but
 * delete followed by a source line, the whole body ending with a newline. Malformed framing fails the request;
 * a document that cannot be indexed fails only its item (`errors: true`), which is what fluentd's retry logic reads.
 */

type Action = "index" | "create" | "update" | "delete";

const ACTIONS: Action[] = ["index", "create", "update", "delete"];
const ACTION_PARAMS = new Set([
  "_index",
  "_id",
  "routing",
  "version",
  "version_type",
  "if_seq_no",
  "if_primary_term",
  "pipeline",
  "require_alias",
  "op_type",
  "retry_on_conflict",
  "dynamic_templates",
  "_source",
  "list_executed_pipelines",
  "require_data_stream",
]);

interface ParsedItem {
  action: Action;
  index?: string;
  id?: string;
  source?: string;
  line: number;
}

function tokenOf(value: unknown): string {
  if (Array.isArray(value)) return "START_ARRAY";
  if (value === null) return "VALUE_NULL";
  if (typeof value === "string") return "VALUE_STRING";
  if (typeof value === "number") return "VALUE_NUMBER";
  if (typeof value === "boolean") return "VALUE_BOOLEAN";
  return "START_OBJECT";
}

/** Splits and checks the NDJSON framing; throws the 400 ES answers for the whole request. */
export function parseBulkBody(body: string, defaultIndex: string | undefined): ParsedItem[] {
  if (body.trim() === "") throw validationFailed("no requests added");
  if (!body.endsWith("\n")) throw illegalArgument("The bulk request must be terminated by a newline [\\n]");
  const lines = body.slice(0, -1).split("\n");
  const items: ParsedItem[] = [];
  const missingIndex: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = lines[i]?.replace(/\r$/, "") ?? "";
    let action: unknown;
    try {
      action = JSON.parse(text);
    } catch {
      throw new EsApiError(400, {
        type: "x_content_parse_exception",
        reason: `[${lineNo}:1] Malformed action/metadata line [${lineNo}], could not parse JSON`,
      });
    }
    if (typeof action !== "object" || action === null || Array.isArray(action)) {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected START_OBJECT or END_OBJECT but found [${tokenOf(action)}]`);
    }
    const keys = Object.keys(action);
    const name = keys[0];
    if (keys.length !== 1 || !ACTIONS.includes(name as Action)) {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected field [create], [delete], [index] or [update] but found [${name ?? ""}]`);
    }
    const meta = (action as Record<string, unknown>)[name as string];
    if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
      throw illegalArgument(`Malformed action/metadata line [${lineNo}], expected START_OBJECT but found [${tokenOf(meta)}]`);
    }
    for (const key of Object.keys(meta)) {
      if (!ACTION_PARAMS.has(key)) throw illegalArgument(`Action/metadata line [${lineNo}] contains an unknown parameter [${key}]`);
    }
    const m = meta as Record<string, unknown>;
    const item: ParsedItem = { action: name as Action, line: lineNo };
    const index = m._index === undefined ? defaultIndex : String(m._index);
    if (index === undefined) missingIndex.push(items.length);
    else item.index = index;
    if (m._id !== undefined && m._id !== null) item.id = String(m._id);
    if (item.action !== "delete") {
      i++;
      if (i >= lines.length) throw illegalArgument(`The bulk request must be terminated by a newline [\\n]`);
      item.source = lines[i] ?? "";
    }
    if ((item.action === "update" || item.action === "delete") && item.id === undefined) {
      throw validationFailed(`id is missing`);
    }
    items.push(item);
  }
  if (missingIndex.length > 0) throw validationFailed(...missingIndex.map(() => "index is missing"));
  return items;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

export interface BulkOutcome {
  response: { took: number; errors: boolean; items: unknown[] };
  touched: Set<IndexState>;
}

export interface BulkOptions {
  mappingErrorType: string;
  forcedRefresh: boolean;
  /** Answer every item with this rejection instead of applying it (the "bulk-items" failure mode). */
  rejectItems?: { status: number; error: EsErrorCause };
}

function parseSource(text: string, errorType: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new EsApiError(400, {
      type: errorType,
      reason: "failed to parse",
      caused_by: { type: "x_content_parse_exception", reason: e instanceof Error ? e.message : String(e) },
    });
  }
  if (!isPlainObject(parsed)) {
    throw new EsApiError(400, { type: errorType, reason: `failed to parse, document is empty or not an object` });
  }
  return parsed;
}

export function executeBulk(store: DocumentStore, items: ParsedItem[], options: BulkOptions, startedAt: number): BulkOutcome {
  const touched = new Set<IndexState>();
  const results: unknown[] = [];
  let errors = false;
  for (const item of items) {
    const indexName = item.index ?? "";
    const id = item.id ?? (item.action === "index" || item.action === "create" ? autoId() : undefined);
    const failed = (status: number, error: EsErrorCause) => {
      errors = true;
      results.push({ [item.action]: { _index: indexName, _id: id ?? null, status, error } });
    };
    if (options.rejectItems) {
      failed(options.rejectItems.status, options.rejectItems.error);
      continue;
    }
    const invalid = invalidIndexName(indexName);
    if (invalid) {
      failed(400, invalid);
      continue;
    }
    try {
      const index = store.getOrCreate(indexName);
      let result: WriteResult;
      if (item.action === "delete") {
        result = store.delete(index, id as string);
      } else if (item.action === "update") {
        const body = parseSource(item.source ?? "", options.mappingErrorType);
        const current = index.live.get(id as string);
        const doc = isPlainObject(body.doc) ? body.doc : undefined;
        if (!current) {
          const upsert = body.doc_as_upsert === true ? doc : isPlainObject(body.upsert) ? body.upsert : undefined;
          if (!upsert) {
            failed(404, { type: "document_missing_exception", reason: `[${id}]: document missing`, index_uuid: index.uuid, shard: "0", index: index.name });
            continue;
          }
          result = store.put(index, id, upsert, "create");
        } else {
          const merged = doc ? deepMerge(current.source, doc) : current.source;
          result =
            JSON.stringify(merged) === JSON.stringify(current.source)
              ? { result: "noop", version: current.version, seqNo: current.seqNo, id: current.id }
              : store.put(index, id, merged, "index");
        }
      } else {
        result = store.put(index, id, parseSource(item.source ?? "", options.mappingErrorType), item.action);
      }
      touched.add(index);
      const status = result.result === "created" ? 201 : result.result === "not_found" ? 404 : 200;
      const entry: Record<string, unknown> = { _index: index.name, _id: result.id, _version: result.version, result: result.result };
      if (options.forcedRefresh) entry.forced_refresh = true;
      entry._shards = { total: 2, successful: 1, failed: 0 };
      entry._seq_no = result.seqNo;
      entry._primary_term = 1;
      entry.status = status;
      results.push({ [item.action]: entry });
    } catch (error) {
      if (!isEsApiError(error) || typeof error.detail === "string") throw error;
      failed(error.status, error.detail);
    }
  }
  return { response: { took: Math.max(0, Date.now() - startedAt), errors, items: results }, touched };
}
