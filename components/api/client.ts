import type { z } from "zod";

/**
 * The browser's one client for Slipway's own API. Every answer is parsed with the zod schema of the module's
 * contract.ts, so a component gets the type the server declared. Cookie-authenticated mutations echo the
 * `slipway_csrf` cookie in `x-csrf-token` (the server rejects them otherwise). A failure is an ApiError carrying the
 * problem+json `title` and `detail`, which the server writes to be shown to people.
 */

export type FieldProblem = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

const csrfCookieName = "slipway_csrf";
const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const unreachable = () => new ApiError(0, "Network error", "Slipway could not be reached. Check your connection and try again.");

function readCsrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === csrfCookieName) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

/** fetch() as the signed-in page: same-origin cookies, JSON accepted, the CSRF header on a mutation. */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json, application/problem+json");
  if (unsafeMethods.has(method)) {
    const token = readCsrfToken();
    if (token) headers.set("x-csrf-token", token);
  }
  return fetch(path, { ...init, method, headers, credentials: "same-origin" });
}

/** Reads a failed response as a problem, whatever shape it has (a proxy's HTML error page, say). */
export async function problemOf(response: Response): Promise<ApiError> {
  const fallback = response.status === 401 ? "Your session has ended. Sign in again." : `The request failed (HTTP ${response.status}).`;
  const body = (await response.json().catch(() => null)) as { title?: unknown; detail?: unknown; errors?: unknown } | null;
  const errors = Array.isArray(body?.errors) ? body.errors.filter((e): e is FieldProblem => typeof e?.path === "string" && typeof e?.message === "string") : [];
  return new ApiError(
    response.status,
    typeof body?.title === "string" ? body.title : response.statusText || "Request failed",
    typeof body?.detail === "string" && body.detail ? body.detail : fallback,
    errors,
  );
}

type Options = { signal?: AbortSignal };

async function request<S extends z.ZodType>(method: string, path: string, schema: S | null, init: Options & { json?: unknown } = {}): Promise<z.infer<S>> {
  const headers = new Headers();
  if (init.json !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await apiFetch(path, {
      method,
      headers,
      signal: init.signal,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  } catch (error) {
    // An aborted request is the caller's doing (react-query cancelling a stale query): let it pass as it is.
    if ((error as Error).name === "AbortError") throw error;
    throw unreachable();
  }
  if (!response.ok) throw await problemOf(response);
  const body: unknown = await response.json().catch(() => undefined);
  // A mutation whose answer the caller does not read is not parsed.
  if (!schema) return body as z.infer<S>;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    console.warn(`Slipway's answer to ${method} ${path} does not match its contract:`, parsed.error.issues);
    throw new ApiError(response.status, "Unexpected answer", "Slipway answered in a shape this page does not understand. Reload the page.");
  }
  return parsed.data;
}

function post<S extends z.ZodType>(path: string, body: unknown, schema: S, options?: Options): Promise<z.infer<S>>;
function post(path: string, body: unknown): Promise<unknown>;
function post<S extends z.ZodType>(path: string, body: unknown, schema?: S, options?: Options) {
  return request("POST", path, schema ?? null, { ...options, json: body });
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S, options?: Options) => request("GET", path, schema, options),
  post,
  delete: <S extends z.ZodType>(path: string, schema: S, options?: Options) => request("DELETE", path, schema, options),
};

/** A sentence for any error thrown while talking to the API, with the field messages the server attached. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => (e.path && e.path !== "(root)" ? `${e.path}: ${e.message}` : e.message));
    return fields.length ? `${error.detail} ${fields.join("; ")}.` : error.detail;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** react-query's retry policy: a 4xx will not get better by asking again; a 5xx or a dropped connection might. */
export function retryUnlessClientError(failures: number, error: unknown): boolean {
  return !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2;
}
