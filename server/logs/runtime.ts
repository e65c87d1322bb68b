import "server-only";
import type { Logs } from "./create-logs";

/**
 * The process's logs module, installed by the server at start and handed to the Next.js bundles on globalThis (they
 * load their own copy of every module), as the metrics and the release runtime are.
 */
const key = Symbol.for("slipway.logs");
type Globals = typeof globalThis & { [key]?: Logs };

export function installLogs(logs: Logs): void {
  (globalThis as Globals)[key] = logs;
}

export function installedLogs(): Logs | undefined {
  return (globalThis as Globals)[key];
}
