import "server-only";
import type { LogLine } from "./contract";
import type { SearchHit } from "./es-schemas";
import { detectLevel, valueAt } from "./level";
import type { LogFieldMapping } from "./types";

/** Where a vendor document becomes Slipway's LogLine; nothing else reads `_source`. */

const MAX_MESSAGE_CHARS = 32 * 1024;
const MAX_FIELDS = 100;
const MAX_FIELD_CHARS = 2048;

/** Line ids name the index and the document: `_id` is only unique within an index. Index names cannot hold ':'. */
export function lineId(index: string, id: string): string {
  return `${index}:${id}`;
}

export function parseLineId(text: string): { index: string; id: string } | null {
  const at = text.indexOf(":");
  if (at < 1 || at === text.length - 1 || text.length > 1024) return null;
  const index = text.slice(0, at);
  if (!/^[a-z0-9][a-z0-9._+-]*$/.test(index)) return null;
  return { index, id: text.slice(at + 1) };
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(text).join(" ");
  return value === undefined || value === null ? "" : String(value);
}

function cap(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}… [${value.length - max} more characters]` : value;
}

/** Flattens the structured part of a document to dotted scalar keys for the expandable view. */
function flatten(value: unknown, prefix: string, out: Record<string, string | number | boolean | null>): void {
  if (Object.keys(out).length >= MAX_FIELDS) return;
  if (value === null || typeof value === "number" || typeof value === "boolean") out[prefix] = value;
  else if (typeof value === "string") out[prefix] = cap(value, MAX_FIELD_CHARS);
  else if (Array.isArray(value)) out[prefix] = cap(JSON.stringify(value), MAX_FIELD_CHARS);
  else if (typeof value === "object") for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
}

const SKIPPED_TOP_LEVEL = new Set(["kubernetes", "docker", "@timestamp", "log", "message", "stream", "logtag", "time", "tag"]);

/** `@timestamp` as fluentd writes it (`...123456789+00:00`), normalised to RFC 3339 UTC with its precision kept. */
export function normaliseTimestamp(value: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]00:?00)$/.exec(value);
  if (m) return `${m[1]}${m[2] ?? ""}Z`;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

export function hitToLine(hit: SearchHit, fields: LogFieldMapping): LogLine {
  const doc = hit._source;
  const raw = fields.message.map((f) => text(valueAt(doc, f))).find((m) => m !== "") ?? "";
  const message = cap(raw.replace(/\r?\n$/, ""), MAX_MESSAGE_CHARS);
  const structured: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(doc)) if (!SKIPPED_TOP_LEVEL.has(key) && !fields.message.includes(key)) flatten(value, key, structured);
  const stream = text(valueAt(doc, fields.stream));
  const host = text(valueAt(doc, fields.host));
  if (stream) structured.stream = stream;
  if (host) structured.node = host;
  const timestamp = text(valueAt(doc, fields.timestamp));
  return {
    id: lineId(hit._index, hit._id),
    timestamp: timestamp ? normaliseTimestamp(timestamp) : "",
    pod: text(valueAt(doc, fields.pod)),
    container: text(valueAt(doc, fields.container)),
    level: detectLevel(doc, fields.level, message),
    message,
    fields: structured,
  };
}
