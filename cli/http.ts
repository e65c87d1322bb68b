import { z } from "zod";
import { UsageError } from "./args";

/** An RFC 9457 problem as Slipway sends it: title, status, detail, and sometimes the field or document errors. */
export const problemSchema = z.looseObject({
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
  errorId: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfterMs?: number,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
  }
}

/** The server could not be reached, or answered with something that is not Slipway's API. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionError";
  }
}

/** Something the person asked for is not there (no such rollout, no matching freeze), said plainly. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** The server answered 2xx with a body the CLI does not understand (a proxy's page, another version's API). */
export class UnexpectedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
  }
}

const statusTitles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** One field or document error as a short phrase: `version: letters, digits…` or `line 12: owner is missing`. */
function describeItem(item: unknown): string | undefined {
  if (typeof item === "string") return item;
  if (!item || typeof item !== "object") return undefined;
  const e = item as Record<string, unknown>;
  const message = typeof e.message === "string" ? e.message : undefined;
  if (!message) return undefined;
  const where = [
    typeof e.document === "number" ? `document ${e.document}` : undefined,
    typeof e.line === "number" ? `line ${e.line}` : undefined,
    typeof e.path === "string" && e.path !== "(root)" ? e.path : undefined,
  ].filter(Boolean);
  return where.length ? `${where.join(", ")}: ${message}` : message;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();

/**
 * Any error as the one line a person reads in a CI log: `Forbidden (HTTP 403): A production rollout is requested by
 * a person…`. Never a stack trace; an unexpected bug says what it was and where to report it.
 */
export function formatError(error: unknown): string {
  if (error instanceof ApiError) {
    const title = error.problem.title ?? statusTitles[error.status] ?? "Error";
    const detail = error.problem.detail ?? "";
    // A query-string problem already names its reasons in the detail; say each once.
    const items = (error.problem.errors ?? []).map(describeItem).filter((x): x is string => !!x && !detail.includes(x.split(": ").at(-1)!));
    const shown = items.slice(0, 5).join("; ");
    const more = items.length > 5 ? ` (and ${items.length - 5} more; --json shows them all)` : "";
    const retry = error.retryAfterMs !== undefined ? ` Retry in ${Math.ceil(error.retryAfterMs / 1000)}s.` : "";
    return oneLine(`${title} (HTTP ${error.status})${detail ? `: ${detail}` : ""}${shown ? ` ${shown}${more}` : ""}${retry}`);
  }
  if (error instanceof UsageError) return oneLine(`${error.message}${error.command ? ` (see slipway ${error.command} --help)` : ""}`);
  if (error instanceof ConnectionError || error instanceof UnexpectedResponseError || error instanceof CliError) return oneLine(error.message);
  if (error instanceof Error) return oneLine(`unexpected ${error.name}: ${error.message} (please report this)`);
  return oneLine(`unexpected error: ${String(error)}`);
}

/** What fetch's "fetch failed" hides: ECONNREFUSED, ENOTFOUND, a certificate problem… */
function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer in time";
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export type RequestOptions = {
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /** Per request; streams pass their own signal and no timeout. Default 30 s. */
  timeoutMs?: number;
};

export type Fetch = typeof fetch;

/** A plain HTTP client of Slipway's API v1: a bearer token, JSON in and out, problem+json errors as ApiError. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: Fetch,
    private readonly userAgent: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Sends the request; resolves with the response when it is 2xx, else throws ApiError or ConnectionError. */
  async send(method: string, path: string, options: RequestOptions & { accept?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: options.accept ?? "application/json",
      "user-agent": this.userAgent,
    };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers["content-type"] = options.contentType ?? "text/plain";
      body = options.body;
    }
    const timeout = options.timeoutMs === undefined ? AbortSignal.timeout(30_000) : options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const signal = options.signal && timeout ? AbortSignal.any([options.signal, timeout]) : (options.signal ?? timeout);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ConnectionError(`cannot reach Slipway at ${this.baseUrl} (${describeFetchFailure(error)})`);
    }
    if (response.ok) return response;
    throw await toApiError(response, `${method} ${path}`);
  }

  /** A JSON request whose answer is checked against `schema`. */
  async request<T extends z.ZodType>(method: string, path: string, schema: T, options: RequestOptions = {}): Promise<{ status: number; body: z.infer<T> }> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new UnexpectedResponseError(`${this.baseUrl} answered ${method} ${path} with something other than JSON: is SLIPWAY_URL Slipway's address?`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnexpectedResponseError(
        `${method} ${path} answered in an unexpected shape (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"}): is this CLI as new as the server?`,
      );
    }
    return { status: response.status, body: parsed.data };
  }
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

async function toApiError(response: Response, what: string): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  let problem: Problem | undefined;
  try {
    const parsed = problemSchema.safeParse(JSON.parse(text));
    if (parsed.success && (parsed.data.title || parsed.data.detail)) problem = parsed.data;
  } catch {
    /* not JSON: a proxy's error page, say */
  }
  problem ??= {
    title: statusTitles[response.status] ?? (response.statusText || "Error"),
    status: response.status,
    detail: `${what} was answered without a problem description${response.status === 404 ? ": is SLIPWAY_URL Slipway's address?" : "."}`,
  };
  return new ApiError(response.status, problem, retryAfter(response));
}
