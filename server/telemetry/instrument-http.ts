import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type pino from "pino";
import { logger } from "../shared/logger";
import { requestIdFrom, requestIdHeader, runWithRequestContext, type RequestContext } from "../shared/request-context";
import { telemetry } from "../shared/telemetry";
import type { RouteTable } from "./route-templates";

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Routine traffic (probes, static files) is logged at debug level, so the request log stays the requests people made. */
const quietRoutes = new Set(["/api/healthz", "/api/livez", "/api/readyz", "/_next/static", "/_next/image", "/_next", "/favicon.ico"]);

/**
 * Wraps the server's request handler: gives every request an id (the caller's `x-request-id` when sane, echoed back)
 * and a context its log lines carry, counts it by route template and status with its latency, keeps the number of
 * open server-sent event streams, and logs one line when it ends.
 */
export function instrumentHttp(handle: Handler, options: { routes: RouteTable; log?: pino.Logger }): Handler {
  const t = telemetry();
  return (req, res) => {
    const started = performance.now();
    const given = req.headers[requestIdHeader];
    const requestId = requestIdFrom(Array.isArray(given) ? given[0] : given);
    // Route handlers read the id from the request (the audit trail records it); callers get it back.
    req.headers[requestIdHeader] = requestId;
    res.setHeader(requestIdHeader, requestId);
    const url = req.url ?? "/";
    const pathname = url.split("?")[0]!;
    const route = options.routes.match(pathname);
    const method = methods.has(req.method ?? "") ? req.method! : "OTHER";
    const context: RequestContext = { requestId, route };

    // Slipway's server-sent event streams are its routes ending in /stream: open until the browser leaves.
    const streaming = route.endsWith("/stream");
    if (streaming) t.sseStreams.inc({ route });

    res.once("close", () => {
      const seconds = (performance.now() - started) / 1000;
      // 499 (nginx's "client closed request"): the caller left before an answer was sent.
      const status = String(res.headersSent ? res.statusCode : 499);
      t.httpRequests.inc({ method, route, status });
      if (streaming) t.sseStreams.dec({ route });
      else t.httpDuration.observe({ method, route, status }, seconds);
      const log = options.log ?? logger();
      const line = { method, route, path: pathname, status: Number(status), durationMs: Math.round(seconds * 1000) };
      runWithRequestContext(context, () => {
        if (quietRoutes.has(route)) log.debug(line, "request");
        else log.info(line, "request");
      });
    });
    return runWithRequestContext(context, () => handle(req, res));
  };
}
