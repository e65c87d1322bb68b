import "server-only";

/** One cause in an Elasticsearch error body: `type`, `reason` and whatever metadata that exception carries. */
export interface EsErrorCause {
  type: string;
  reason: string;
  [key: string]: unknown;
}

/**
 * An error answered the way Elasticsearch answers it: `{ error: { root_cause: [...], type, reason, ... }, status }`,
 * or a plain `{ error: "text", status }` for the few REST-layer errors that have no exception behind them.
 */
export class EsApiError extends Error {
  readonly code = "ES_SIM_API_ERROR";

  constructor(
    readonly status: number,
    readonly detail: EsErrorCause | string,
    readonly rootCauses?: EsErrorCause[],
    readonly headers?: Record<string, string | string[]>,
  ) {
    super(typeof detail === "string" ? detail : `${detail.type}: ${detail.reason}`);
  }

  body(): { error: unknown; status: number } {
    if (typeof this.detail === "string") return { error: this.detail, status: this.status };
    const root = this.rootCauses ?? [rootOf(this.detail)];
    return { error: { root_cause: root, ...this.detail }, status: this.status };
  }
}

/** ES lists the exception itself as its root cause (without caused_by); only wrappers list what they wrap. */
function rootOf(cause: EsErrorCause): EsErrorCause {
  const { caused_by: _ignored, ...rest } = cause;
  return rest as EsErrorCause;
}

export function isEsApiError(error: unknown): error is EsApiError {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ES_SIM_API_ERROR";
}

export function parsingException(reason: string, extra: Record<string, unknown> = {}): EsApiError {
  return new EsApiError(400, { type: "parsing_exception", reason, ...extra });
}

export function illegalArgument(reason: string): EsApiError {
  return new EsApiError(400, { type: "illegal_argument_exception", reason });
}

export function validationFailed(...reasons: string[]): EsApiError {
  const text = reasons.map((r, i) => `${i + 1}: ${r};`).join("");
  return new EsApiError(400, { type: "action_request_validation_exception", reason: `Validation Failed: ${text}` });
}

export function indexNotFoundCause(index: string): EsErrorCause {
  return {
    type: "index_not_found_exception",
    reason: `no such index [${index}]`,
    "resource.type": "index_or_alias",
    "resource.id": index,
    index_uuid: "_na_",
    index,
  };
}

export function indexNotFound(index: string): EsApiError {
  return new EsApiError(404, indexNotFoundCause(index));
}

export function invalidIndexNameCause(index: string, why: string): EsErrorCause {
  return { type: "invalid_index_name_exception", reason: `Invalid index name [${index}], ${why}`, index_uuid: "_na_", index };
}

/** A failure inside one shard (one index here), as search_phase_execution_exception lists it. */
export interface ShardFailure {
  shard: number;
  index: string | null;
  node?: string;
  reason: EsErrorCause;
  status: number;
}

/** What ES answers when every shard of a search failed: the shards' causes wrapped in search_phase_execution_exception. */
export function allShardsFailed(failures: ShardFailure[]): EsApiError {
  const first = failures[0];
  const status = first?.status ?? 500;
  const unique = new Map<string, EsErrorCause>();
  for (const f of failures) unique.set(`${f.reason.type}\u0000${f.reason.reason}`, f.reason);
  const detail: EsErrorCause = {
    type: "search_phase_execution_exception",
    reason: "all shards failed",
    phase: "query",
    grouped: true,
    failed_shards: failures.map(({ status: _s, ...f }) => f),
  };
  if (first) detail.caused_by = first.reason;
  return new EsApiError(status, detail, [...unique.values()]);
}

export function searchContextMissing(id: string): EsApiError {
  const reason: EsErrorCause = { type: "search_context_missing_exception", reason: `No search context found for id [${id}]` };
  return allShardsFailed([{ shard: -1, index: null, reason, status: 404 }]);
}

/** A search-time failure raised while evaluating one index; collected per shard rather than failing the request. */
export class ShardError extends Error {
  constructor(
    readonly status: number,
    readonly reason: EsErrorCause,
  ) {
    super(reason.reason);
  }
}

export function queryShardException(reason: string, index: string, causedBy?: EsErrorCause): ShardError {
  const cause: EsErrorCause = { type: "query_shard_exception", reason, index_uuid: "sim", index };
  if (causedBy) cause.caused_by = causedBy;
  return new ShardError(400, cause);
}
