import "server-only";
import pino from "pino";
import { currentRequestContext } from "./request-context";

const globalKey = Symbol.for("slipway.logger");
type WithLogger = typeof globalThis & { [globalKey]?: pino.Logger };

/** Fields that hold credentials wherever they appear in a logged object (one level down as well as at the top). */
const secretFields = ["authorization", "cookie", "token", "password", "secret", "clientSecret", "bearerToken", "apiKey", "databaseUrl", "DATABASE_URL"];
const redact = [
  ...secretFields,
  ...secretFields.map((f) => `*.${f}`),
  ...["req", "request", "res", "response"].flatMap((r) => [`${r}.headers.authorization`, `${r}.headers.cookie`, `${r}.headers["set-cookie"]`]),
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
];

/** Passwords in connection strings (postgres://user:password@host) and bearer tokens inside free text. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, "$1:[redacted]@")
    .replace(/\b(Bearer|Basic|ApiKey)\s+[\w~+/.=-]{6,}/g, "$1 [redacted]");
}

function errorSerializer(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  if (!serialized || typeof serialized !== "object") return serialized;
  const e = serialized as Record<string, unknown>;
  if (typeof e.message === "string") e.message = scrubSecrets(e.message);
  if (typeof e.stack === "string") e.stack = scrubSecrets(e.stack);
  return e;
}

/**
 * One structured logger per process (shared by the custom server and the Next.js bundles): JSON lines, each line of a
 * request carrying its `requestId` and, once known, its `principal` ("person:<id>" or "token:<id>"); credentials in
 * headers, fields, messages and errors are redacted.
 */
export function logger(): pino.Logger {
  const g = globalThis as WithLogger;
  g[globalKey] ??= createLogger(process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"));
  return g[globalKey];
}

/** A logger configured as the process's is; tests pass a destination to read its lines. */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "slipway" },
    redact,
    serializers: { err: errorSerializer },
    mixin() {
      const context = currentRequestContext();
      if (!context) return {};
      return context.principal ? { requestId: context.requestId, principal: context.principal } : { requestId: context.requestId };
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === "string" ? scrubSecrets(a) : a)) as typeof args;
        method.apply(this, scrubbed);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
