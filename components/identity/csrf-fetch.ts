/**
 * fetch() for Slipway's own API from the browser. Cookie-authenticated mutations must echo the `slipway_csrf`
 * cookie in `x-csrf-token`; the server rejects them otherwise. Failures become an ApiProblem carrying the
 * server's problem+json `detail`, which is written to be shown to people.
 */

export const csrfCookieName = "slipway_csrf";

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type FieldProblem = { path: string; message: string };

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

export function readCsrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === csrfCookieName) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

export async function csrfFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json, application/problem+json");
  if (unsafeMethods.has(method)) {
    const token = readCsrfToken();
    if (token) headers.set("x-csrf-token", token);
  }
  return fetch(input, { ...init, method, headers, credentials: "same-origin" });
}

/** Reads a failed response as a problem, whatever shape it has. */
export async function problemOf(response: Response): Promise<ApiProblem> {
  const fallback = response.status === 401 ? "Your session has ended. Sign in again." : `The request failed (HTTP ${response.status}).`;
  const body = (await response.json().catch(() => null)) as { title?: unknown; detail?: unknown; errors?: unknown } | null;
  const errors = Array.isArray(body?.errors) ? body.errors.filter((e): e is FieldProblem => typeof e?.path === "string" && typeof e?.message === "string") : [];
  return new ApiProblem(
    response.status,
    typeof body?.title === "string" ? body.title : response.statusText,
    typeof body?.detail === "string" && body.detail ? body.detail : fallback,
    errors,
  );
}

/** csrfFetch() that returns the JSON body, or throws an ApiProblem. A JSON body is sent when `json` is given. */
export async function requestJson<T>(input: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await csrfFetch(input, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  } catch {
    throw new ApiProblem(0, "Network error", "Slipway could not be reached. Check your connection and try again.");
  }
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as T;
}

/** A readable sentence for any error thrown while talking to the API. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiProblem) {
    const fields = error.errors.map((e) => (e.path && e.path !== "(root)" ? `${e.path}: ${e.message}` : e.message));
    return fields.length ? `${error.detail} ${fields.join("; ")}.` : error.detail;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** react-query retry policy: a 4xx will not get better by asking again; a 5xx or a dropped connection might. */
export function retryUnlessClientError(failures: number, error: unknown): boolean {
  return !(error instanceof ApiProblem && error.status >= 400 && error.status < 500) && failures < 2;
}
