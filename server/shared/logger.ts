import "server-only";
import pino from "pino";

const globalKey = Symbol.for("slipway.logger");
type WithLogger = typeof globalThis & { [globalKey]?: pino.Logger };

/** One structured logger per process (shared by the custom server and the Next.js bundles). */
export function logger(): pino.Logger {
  const g = globalThis as WithLogger;
  g[globalKey] ??= pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "slipway" },
    redact: ["req.headers.authorization", "req.headers.cookie", "*.token", "*.password", "*.secret"],
  });
  return g[globalKey];
}
