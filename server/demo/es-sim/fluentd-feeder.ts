import "server-only";
import { createHash } from "node:crypto";

/**
 * Writes log lines the way fluentd ships them from a Kubernetes node: in_tail (docker json-file or CRI format),
 * the kubernetes_metadata filter (de-dotted label keys, `docker.container_id`), optionally a JSON parser filter
 * with reserve_data, and fluent-plugin-elasticsearch with logstash_format (daily UTC indices, `@timestamp` with
 * nine fractional digits and a `+00:00` offset), sent as one `_bulk` request per batch of `index` actions.
 */

export interface FluentdRecord {
  namespace: string;
  pod: string;
  container: string;
  image: string;
  /** Pod labels with their real keys (`app.kubernetes.io/name`); the feeder de-dots them as fluentd does. */
  labels?: Record<string, string>;
  time: Date | number | string;
  /** Nanoseconds within the millisecond (0-999999), for the nine-digit timestamps container runtimes record. */
  nanos?: number;
  stream?: "stdout" | "stderr";
  line: string;
  host?: string;
}

export interface FeedOptions {
  /** logstash_prefix (default "logstash"): documents go to `<prefix>-YYYY.MM.DD` by their UTC day. */
  indexPrefix?: string;
  /** A fixed index instead of daily ones (fluentd's `index_name` without logstash_format). */
  index?: string;
  /** "docker" (default): the line in `log` with its trailing newline; "cri": in `message`, with `logtag`. */
  runtime?: "docker" | "cri";
  /** Merge JSON lines' fields into the document, keeping the original line (parser filter, reserve_data). Default true. */
  parseJson?: boolean;
  /** `create` actions (write_operation create) instead of `index`. */
  operation?: "index" | "create";
  /** Adds `refresh=` to each bulk request. */
  refresh?: "true" | "wait_for";
  /** Documents per bulk request (default 500, near fluentd's default chunk sizes). */
  batchSize?: number;
  /** Extra request headers, e.g. authorization. */
  headers?: Record<string, string>;
}

export interface FeedResult {
  indexed: number;
  /** Items the server refused, as its bulk response reports them. */
  failed: Array<{ status: number; error: unknown; document: Record<string, unknown> }>;
  indices: string[];
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function uuidFrom(text: string): string {
  const h = digest(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** fluentd's de_dot: `app.kubernetes.io/name` -> `app_kubernetes_io/name`. */
export function deDot(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k.replace(/\./g, "_"), v]));
}

/** `time` as fluent-plugin-elasticsearch writes @timestamp (`%Y-%m-%dT%H:%M:%S.%N%:z`, UTC). */
export function fluentdTimestamp(time: Date | number | string, nanos = 0): string {
  if (typeof time === "string") {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:Z|[+-]00:?00)?$/.exec(time);
    if (m) return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}+00:00`;
  }
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time);
  if (!Number.isFinite(ms)) throw new Error(`invalid log time: ${String(time)}`);
  const iso = new Date(ms).toISOString();
  const sub = String(Math.max(0, Math.min(999_999, Math.trunc(nanos)))).padStart(6, "0");
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${sub}+00:00`;
}

/** The index fluentd picks for this record and the document it writes. */
export function fluentdDocument(record: FluentdRecord, options: FeedOptions = {}): { index: string; document: Record<string, unknown> } {
  const timestamp = fluentdTimestamp(record.time, record.nanos);
  const index = options.index ?? `${options.indexPrefix ?? "logstash"}-${timestamp.slice(0, 10).replace(/-/g, ".")}`;
  const containerId = digest(`${record.namespace}/${record.pod}/${record.container}`);
  const hostNumber = (parseInt(digest(record.pod).slice(0, 4), 16) % 3) + 1;
  const podIpTail = parseInt(digest(record.pod).slice(4, 8), 16);
  const repository = record.image.replace(/:[^:/]+$/, "");
  const document: Record<string, unknown> = {};
  const stream = record.stream ?? "stdout";
  if ((options.runtime ?? "docker") === "docker") {
    document.log = `${record.line}\n`;
    document.stream = stream;
  } else {
    document.stream = stream;
    document.logtag = "F";
    document.message = record.line;
  }
  document.docker = { container_id: containerId };
  document.kubernetes = {
    container_name: record.container,
    namespace_name: record.namespace,
    pod_name: record.pod,
    container_image: record.image,
    container_image_id: `docker-pullable://${repository}@sha256:${digest(record.image)}`,
    pod_id: uuidFrom(`${record.namespace}/${record.pod}`),
    pod_ip: `10.244.${hostNumber}.${(podIpTail % 250) + 2}`,
    host: record.host ?? `worker-${hostNumber}`,
    labels: deDot(record.labels ?? {}),
    master_url: "https://10.96.0.1:443/api",
    namespace_id: uuidFrom(record.namespace),
    namespace_labels: { "kubernetes_io/metadata_name": record.namespace },
  };
  if (options.parseJson ?? true) {
    const trimmed = record.line.trim();
    if (trimmed.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) Object.assign(document, parsed);
      } catch {
        // Not JSON after all: fluentd's parser filter passes such lines through unchanged.
      }
    }
  }
  document["@timestamp"] = timestamp;
  return { index, document };
}

/** The NDJSON body fluent-plugin-elasticsearch sends for these documents. */
export function bulkBody(entries: Array<{ index: string; document: Record<string, unknown> }>, operation: "index" | "create" = "index"): string {
  return entries.map((e) => `${JSON.stringify({ [operation]: { _index: e.index } })}\n${JSON.stringify(e.document)}\n`).join("");
}

/** Something with a base URL: an EsSim, or any Elasticsearch-compatible endpoint. */
export type FeedTarget = { url: string } | string;

/** Bulk-writes the records as fluentd would, returning what was indexed and the items refused. */
export async function feedLines(target: FeedTarget, records: FluentdRecord[], options: FeedOptions = {}): Promise<FeedResult> {
  const base = (typeof target === "string" ? target : target.url).replace(/\/$/, "");
  const batchSize = options.batchSize ?? 500;
  const result: FeedResult = { indexed: 0, failed: [], indices: [] };
  const indices = new Set<string>();
  for (let start = 0; start < records.length; start += batchSize) {
    const entries = records.slice(start, start + batchSize).map((r) => fluentdDocument(r, options));
    const query = options.refresh ? `?refresh=${options.refresh}` : "";
    const response = await fetch(`${base}/_bulk${query}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-ndjson", ...(options.headers ?? {}) },
      body: bulkBody(entries, options.operation),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`bulk request failed with ${response.status}: ${text.slice(0, 500)}`);
    const body = JSON.parse(text) as { items: Array<Record<string, { status: number; error?: unknown; _index: string }>> };
    body.items.forEach((item, i) => {
      const outcome = Object.values(item)[0];
      const entry = entries[i];
      if (!outcome || !entry) return;
      if (outcome.error !== undefined) result.failed.push({ status: outcome.status, error: outcome.error, document: entry.document });
      else {
        result.indexed++;
        indices.add(outcome._index);
      }
    });
  }
  result.indices = [...indices].sort();
  return result;
}
