import "server-only";
import type http from "node:http";
import type { Reconciler } from "../releases";
import { closeChangeFeed } from "../shared/change-feed";
import { config } from "../shared/config";
import { beginDraining } from "../shared/draining";
import { logger } from "../shared/logger";

export type GracefulShutdownParts = {
  server: http.Server;
  /** The reconciler, when this replica runs one (read at signal time: it may start after the server). */
  reconciler: () => Reconciler | undefined;
  /** Everything else the start file started, stopped in its order (the database last). */
  stopRest: () => Promise<void>;
  /** Default: SLIPWAY_SHUTDOWN_GRACE_MS. */
  graceMs?: number;
};

/**
 * What SIGTERM does to a replica (Kubernetes sends it, then SIGKILL after the pod's termination grace period):
 * 1. stop taking new work: the server stops accepting connections and idle keep-alive ones close; the reconciler
 *    takes no new passes or applies;
 * 2. end every server-sent event stream, so browsers reconnect at once, to another replica;
 * 3. let this replica's applies in flight finish within the grace period, hand the rest over (their claims
 *    cleared) and release the reconciler's lease, so another replica carries on without waiting for it to lapse;
 * 4. stop the rest and exit. Whatever still runs when the grace period ends is cut off by exiting.
 * Returns the signal handler.
 */
export function gracefulShutdown(parts: GracefulShutdownParts): (signal: string) => void {
  let started = false;
  return (signal) => {
    if (started) return;
    started = true;
    const log = logger();
    const graceMs = parts.graceMs ?? config().shutdownGraceMs;
    const began = performance.now();
    // The last resort: never outlive the grace period by more than the time closing the database takes.
    setTimeout(() => {
      log.warn({ signal, graceMs }, "shutdown exceeded its grace period; exiting");
      process.exit(0);
    }, graceMs + 2_000).unref();

    parts.server.close();
    parts.server.closeIdleConnections();
    const streams = beginDraining();
    log.info({ signal, graceMs, streams }, "shutting down: no new work, streams closed");
    void (async () => {
      // Leave a second to stop the rest within the grace period.
      const drained = (await parts
        .reconciler()
        ?.drain(Math.max(0, graceMs - 1_000))
        .catch((error: unknown) => {
          log.error({ err: error }, "draining the reconciler failed");
          return undefined;
        })) ?? { finished: 0, handedOver: 0 };
      // Requests still open (long polls, slow pages) end with the process; streams have already gone.
      parts.server.closeAllConnections();
      await closeChangeFeed().catch(() => undefined);
      await parts.stopRest().catch((error: unknown) => log.error({ err: error }, "stopping failed"));
      log.info({ signal, ...drained, streams, shutdownMs: Math.round(performance.now() - began) }, "shut down");
    })().finally(() => process.exit(0));
  };
}
