import "server-only";
import { AppError } from "./errors";

/** Prisma's codes for a database it cannot reach, or lost mid-query (P1001 unreachable, P1002 timed out, P1017 closed). */
const unreachableCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The driver adapter's kinds for the same. */
const unreachableKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist"]);
const unreachableMessages =
  /Connection terminated|Connection ended|not queryable|connection timeout|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|Can.t reach database/i;

/**
 * Whether `error` says the database does not answer (down, restarting, cut off), recognised by its shape, as Prisma
 * and its pg adapter report it, not by class: a request then fails at once with a 503 and the next one reconnects.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const e = error as {
    name?: unknown;
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    message?: unknown;
    cause?: unknown;
  } | null;
  if (!e || typeof e !== "object") return false;
  if (typeof e.code === "string" && unreachableCodes.has(e.code)) return true;
  const kind = e.meta?.driverAdapterError?.cause?.kind;
  if (typeof kind === "string" && unreachableKinds.has(kind)) return true;
  // The database client's own errors, and the pg pool's plain Errors ("Connection terminated due to connection
  // timeout"): a cluster, Prometheus or Elasticsearch refusing a connection reaches a route as its module's typed
  // error (502/504), never as a plain one.
  const plain = typeof e.name === "string" && (e.name.startsWith("Prisma") || e.name === "DriverAdapterError" || e.name === "Error");
  if (plain && typeof e.message === "string" && unreachableMessages.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isDatabaseUnreachable(e.cause);
}

/** The 503 a request gets while the database does not answer; clients (and browsers' EventSource) retry after it. */
export class DatabaseUnavailableError extends AppError {
  constructor() {
    super(
      503,
      "Service Unavailable",
      "Slipway cannot reach its database right now. Try again in a few seconds.",
      { code: "database_unavailable" },
      {
        "retry-after": "5",
      },
    );
  }
}
