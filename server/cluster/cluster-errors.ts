import "server-only";
import { STATUS_CODES } from "node:http";
import { AppError, BadRequestError, ConflictError, ForbiddenError, NotFoundError, UpstreamError, ValidationError } from "../shared/errors";
import { logger } from "../shared/logger";
import type { ClusterError } from "./types";

/**
 * Turns what client-node throws into Slipway's typed errors with messages a person can act on. ApiException
 * carries `code` and `body` (the raw JSON of a metav1.Status); network failures and timeouts carry no status.
 */

type ClusterIdentity = { name: string; environment: string; timeoutSeconds: number };

type KubeStatus = { message?: string; reason?: string; code?: number };

function statusOf(body: unknown): KubeStatus {
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as unknown;
      return typeof parsed === "object" && parsed !== null ? (parsed as KubeStatus) : {};
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return typeof body === "object" && body !== null ? (body as KubeStatus) : {};
}

function isApiException(error: unknown): error is { code: number; body: unknown } {
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number" && "body" in error;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "ABORT_ERR",
]);

/** An error and the causes it wraps (fetch wraps the socket error), a few levels deep. */
function* causes(error: unknown): Generator<{ name?: unknown; code?: unknown; message?: unknown }> {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === "object" && e !== null; depth++) {
    yield e as { name?: unknown; code?: unknown; message?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** Timeouts, refused or dropped connections: the cluster did not answer. */
export function isUnreachable(error: unknown): boolean {
  for (const { name, code, message } of causes(error)) {
    if (name === "TimeoutError" || name === "AbortError") return true;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (typeof message === "string" && /fetch failed|socket hang up|other side closed|aborted/i.test(message)) return true;
  }
  return false;
}

/** The system error code behind a failed call (ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ...), past undici's own wrappers. */
function networkCode(error: unknown): string | null {
  for (const { code } of causes(error)) if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  return null;
}

function unreachable(cluster: ClusterIdentity, error: unknown): AppError {
  const code = networkCode(error);
  if (code === "ECONNREFUSED") return new UpstreamError(`Cluster ${cluster.name} refused the connection: is its API server address right and running?`, 502);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new UpstreamError(`Cluster ${cluster.name}'s API server address does not resolve (${code})`, 502);
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return new UpstreamError(`Cluster ${cluster.name} cannot be reached from Slipway (${code})`, 502);
  return new UpstreamError(`Cluster ${cluster.name} did not answer within ${cluster.timeoutSeconds}s`, 504);
}

function isAppError(error: unknown): error is AppError {
  // Duck-typed too: the custom server and the Next.js bundles each load their own copy of shared/errors.
  return (
    error instanceof AppError ||
    (typeof error === "object" && error !== null && typeof (error as AppError).status === "number" && typeof (error as AppError).title === "string")
  );
}

/**
 * The HTTP status a failed call carries: ApiException's `code`, the `statusCode` of client-node's Watch errors
 * (`Error("Forbidden")`), or a `status` property. Null for network failures and anything else.
 */
export function httpStatusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null || isAppError(error)) return null;
  for (const key of ["statusCode", "code", "status"] as const) {
    const value = (error as Record<string, unknown>)[key];
    if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return null;
}

/** The apiserver's own words for a failure: the Status message, or an error message that says more than "Forbidden". */
function reasonOf(error: unknown, code: number): string | undefined {
  if (isApiException(error)) return statusOf(error.body).message?.trim() || undefined;
  const message = error instanceof Error ? error.message.trim() : "";
  return message && message !== STATUS_CODES[code] ? message.slice(0, 300) : undefined;
}

/** The typed error for a failed call to `cluster`. */
export function clusterFailure(cluster: ClusterIdentity, error: unknown): AppError {
  if (isAppError(error)) return error;
  const code = httpStatusOf(error);
  if (code !== null) {
    const message = reasonOf(error, code) ?? `the API server answered ${code} ${STATUS_CODES[code] ?? ""}`.trim();
    switch (code) {
      case 401:
        return new UpstreamError(`Slipway's credentials for cluster ${cluster.name} were refused`, 502);
      case 403:
        return new ForbiddenError(message);
      case 404:
        return new NotFoundError(message);
      case 409:
        return new ConflictError(message);
      case 410:
        return new ConflictError(message);
      case 422:
        return new ValidationError(message);
      case 400:
      case 415:
        return new BadRequestError(`Cluster ${cluster.name} rejected the request: ${message}`);
      case 429:
      case 503:
        return new UpstreamError(`Cluster ${cluster.name} is overloaded: ${message}`, 503);
      case 504:
        return new UpstreamError(`Cluster ${cluster.name} did not answer within ${cluster.timeoutSeconds}s`, 504);
      default:
        return new UpstreamError(`Cluster ${cluster.name} failed: ${message}`, 502);
    }
  }
  if (isUnreachable(error)) return unreachable(cluster, error);
  logger().error({ err: error, cluster: cluster.name }, "unexpected cluster error");
  return new UpstreamError(`Cluster ${cluster.name} failed unexpectedly: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, 502);
}

/**
 * The typed error for a failed WATCH of `watched` (e.g. `deployments in namespace cards`). Watches are retried with
 * backoff, so the messages say so; 403 happens while a restarting API server's authorizer warms up as well as after
 * an RBAC change.
 */
export function watchFailure(cluster: ClusterIdentity, error: unknown, watched: string): AppError {
  const code = httpStatusOf(error);
  if (code === null) return clusterFailure(cluster, error);
  const answer = `${code} ${STATUS_CODES[code] ?? ""}`.trim();
  const reason = reasonOf(error, code);
  const answered = reason ? `${answer}: ${reason}` : answer;
  switch (code) {
    case 401:
      return new UpstreamError(`Slipway's credentials for cluster ${cluster.name} were refused while watching ${watched}`, 502);
    case 403:
      return new ForbiddenError(`Cluster ${cluster.name} does not allow Slipway to watch ${watched} (${answered}); retrying`);
    case 404:
      return new NotFoundError(`Cluster ${cluster.name} does not serve ${watched} (${answered})`);
    case 410:
      return new ConflictError(`The watch of ${watched} in cluster ${cluster.name} fell too far behind (${answered}); listing again`);
    case 429:
      return new UpstreamError(`Cluster ${cluster.name} is overloaded (${answered}); watching ${watched} again shortly`, 503);
    default:
      if (code >= 500) return new UpstreamError(`Cluster ${cluster.name} failed to watch ${watched} (${answered}); retrying`, code === 503 ? 503 : 502);
      return new BadRequestError(`Cluster ${cluster.name} rejected the watch of ${watched} (${answered})`);
  }
}

/** A failure as the runtime view shows it in place of that cluster's data. */
export function toClusterError(cluster: ClusterIdentity, error: unknown): ClusterError {
  const failure = clusterFailure(cluster, error);
  return { cluster: cluster.name, environment: cluster.environment, status: failure.status, message: failure.message };
}
