import "server-only";
import { AppError } from "../shared/errors";
import type { LogsErrorCode, LogsProblem } from "./contract";
import { errorBodySchema } from "./es-schemas";

const STATUS_BY_CODE: Record<LogsErrorCode, number> = {
  not_configured: 404,
  bad_query: 400,
  index_not_found: 404,
  unauthorized: 502,
  rate_limited: 503,
  timeout: 504,
  unavailable: 502,
  unreachable: 502,
  incompatible_server: 502,
  invalid_response: 502,
  expired_cursor: 410,
  partial: 502,
  pod_logs_unavailable: 502,
};

/**
 * A log read that failed, with a code the UI branches on and a message safe to show. Recognised by shape (`logsCode`)
 * as well as instanceof: the custom server and the Next.js bundles load their own module copies.
 */
export class LogsError extends AppError {
  readonly logsCode: LogsErrorCode;

  constructor(
    code: LogsErrorCode,
    message: string,
    readonly source = "logs",
  ) {
    const status = STATUS_BY_CODE[code];
    super(status, status === 504 ? "Gateway Timeout" : status === 400 ? "Bad Request" : status === 410 ? "Gone" : "Bad Gateway", message, { code });
    this.logsCode = code;
  }
}

export function isLogsError(error: unknown): error is LogsError {
  return typeof error === "object" && error !== null && typeof (error as LogsError).logsCode === "string";
}

export function toLogsProblem(error: unknown, source: string): LogsProblem {
  if (isLogsError(error)) return { code: error.logsCode, message: error.message, source: error.source === "logs" ? source : error.source };
  if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError") {
    return { code: "timeout", message: "The log search was cancelled", source };
  }
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
  return { code: "unavailable", message: `Reading logs failed unexpectedly: ${message}`, source };
}

type ClientError = { name?: unknown; message?: unknown; meta?: { statusCode?: unknown; body?: unknown }; statusCode?: unknown; body?: unknown };

function reasonOf(body: unknown): { type: string; reason: string; index?: string | undefined } {
  const text = typeof body === "string" ? safeJson(body) : body;
  const parsed = errorBodySchema.safeParse(text);
  if (!parsed.success) return { type: "", reason: typeof body === "string" ? body.slice(0, 200) : "" };
  const e = parsed.data.error;
  if (typeof e === "string") return { type: "", reason: e.slice(0, 200) };
  const root = e.root_cause?.[0];
  return {
    // "all shards failed" says nothing: the root cause names what was wrong.
    type: root?.type ?? e.type ?? "",
    reason: (root?.reason ?? e.reason ?? e.caused_by?.reason ?? "").slice(0, 300),
    index: e.index,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Maps whatever the @elastic/elasticsearch (8 or 9) or @opensearch-project/opensearch client threw into a LogsError.
 * The three libraries share error names and a `meta.statusCode`/`meta.body` shape, so this reads shapes, not classes.
 */
export function toLogsError(error: unknown, source: string): LogsError {
  if (isLogsError(error)) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as ClientError;
  const name = typeof e.name === "string" ? e.name : "";
  const message = typeof e.message === "string" ? e.message : String(error);
  if (name === "AbortError" || name === "RequestAbortedError") return new LogsError("timeout", `${source}: the log search was cancelled`, source);
  if (name === "TimeoutError") return new LogsError("timeout", `${source} did not answer in time`, source);
  if (name === "ConnectionError" || name === "NoLivingConnectionsError") {
    return new LogsError("unreachable", `${source} cannot be reached: ${message.slice(0, 160)}`, source);
  }
  if (name === "ProductNotSupportedError") {
    const why = message.slice(0, 160);
    return new LogsError("incompatible_server", `${source} is not the server its flavour says (check logs.sources[].flavour): ${why}`, source);
  }
  if (name === "DeserializationError") return new LogsError("invalid_response", `${source} sent a response that is not JSON`, source);
  const status = Number(e.meta?.statusCode ?? e.statusCode);
  if (!Number.isFinite(status) || status === 0) {
    return new LogsError("unavailable", `${source} failed: ${message.slice(0, 200)}`, source);
  }
  const { type, reason, index } = reasonOf(e.meta?.body ?? e.body);
  const detail = reason ? `${type ? `${type}: ` : ""}${reason}` : `HTTP ${status}`;
  if (status === 404 && (type === "search_context_missing_exception" || (/point in time|pit/i.test(reason) && !type.includes("index")))) {
    return new LogsError("expired_cursor", "This page of logs expired: run the search again", source);
  }
  if (status === 404 && type === "index_not_found_exception") {
    return new LogsError("index_not_found", `${source} has no index ${index ?? "matching the configured pattern"}`, source);
  }
  // OpenSearch has no `/_pit` (and Elasticsearch no `/_search/point_in_time`): the configured flavour is wrong.
  if ((status === 400 || status === 405) && /no handler found for uri|incorrect HTTP method/i.test(reason)) {
    return new LogsError("incompatible_server", `${source} does not serve this API (${detail}): check logs.sources[].flavour`, source);
  }
  if (status === 400 && /compatible-with|Accept version|media_type_header/i.test(`${type} ${reason}`)) {
    return new LogsError("incompatible_server", `${source} refused the client's API version (${detail}): check logs.sources[].flavour`, source);
  }
  if (status === 401 || status === 403) return new LogsError("unauthorized", `${source} refused Slipway's credentials (${status}): ${detail}`, source);
  if (status === 429) return new LogsError("rate_limited", `${source} is overloaded (429 ${type || "too many requests"}); try again shortly`, source);
  if (status === 504 || status === 408) return new LogsError("timeout", `${source} timed out: ${detail}`, source);
  if (status >= 500) return new LogsError("unavailable", `${source} failed (${status}): ${detail}`, source);
  return new LogsError("bad_query", `${source} refused the search (${status}): ${detail}`, source);
}
