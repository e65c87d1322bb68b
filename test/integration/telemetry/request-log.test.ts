import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../server/shared/logger";
import { notePrincipal, outsideRequest } from "../../../server/shared/request-context";
import { telemetry } from "../../../server/shared/telemetry";
import { instrumentHttp, routeTable } from "../../../server/telemetry";

/** A logger configured as Slipway's, writing its JSON lines where the test can read them. */
function capturedLogger(level = "debug") {
  const lines: Array<Record<string, unknown>> = [];
  let raw = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, destination), lines, raw: () => raw };
}

const routes = routeTable([
  "/",
  "/api/v1/services",
  "/api/v1/services/[name]",
  "/api/v1/services/[name]/logs",
  "/api/v1/services/[name]/logs/stream",
  "/api/v1/services/facets",
  "/docs/[[...slug]]",
]);

describe("route templates", () => {
  it("labels a request by its route template, never by the raw path", () => {
    expect(routes.match("/api/v1/services/card-api/logs")).toBe("/api/v1/services/[name]/logs");
    expect(routes.match("/api/v1/services/facets")).toBe("/api/v1/services/facets");
    expect(routes.match("/api/v1/services/%E2%9C%93")).toBe("/api/v1/services/[name]");
    expect(routes.match("/docs")).toBe("/docs/[[...slug]]");
    expect(routes.match("/docs/a/b")).toBe("/docs/[[...slug]]");
    expect(routes.match("/_next/static/chunks/app.js")).toBe("/_next/static");
    expect(routes.match("/wp-admin/install.php")).toBe("(unmatched)");
  });
});

describe("the request log", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void, log: ReturnType<typeof capturedLogger>["log"]) {
    server = http.createServer(instrumentHttp(handler, { routes, log }));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("carries the request id and the principal on every line of a request, and never a credential", async () => {
    const { log, lines, raw } = capturedLogger();
    const token = "slw_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    const url = await serve((req, res) => {
      // What a route handler does: authentication names the caller, then it logs (here with careless fields).
      setTimeout(() => {
        notePrincipal({ kind: "token", id: "3c6f0a52-token" });
        log.warn({ headers: req.headers, token, databaseUrl: "postgres://slipway:hunter22@db:5432/slipway" }, "the log store was slow");
        log.error({ err: new Error("connect ECONNREFUSED postgres://slipway:hunter22@db:5432/slipway") }, `retrying with Bearer ${token}`);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      }, 5);
    }, log);

    const response = await fetch(`${url}/api/v1/services/card-api/logs?environment=production`, {
      headers: {
        authorization: `Bearer ${token}`,
        cookie: "slipway_session=sess-secret-value; slipway_csrf=csrf-secret",
        "x-request-id": "ci-run-4711.step-3",
      },
    });
    expect(response.headers.get("x-request-id")).toBe("ci-run-4711.step-3");
    await expect.poll(() => lines.some((l) => l.msg === "request")).toBe(true);

    const ofRequest = lines.filter((l) => l.requestId === "ci-run-4711.step-3");
    expect(ofRequest.map((l) => l.msg)).toEqual(["the log store was slow", `retrying with Bearer [redacted]`, "request"]);
    for (const line of ofRequest) expect(line.principal).toBe("token:3c6f0a52-token");
    expect(ofRequest.at(-1)).toMatchObject({ method: "GET", route: "/api/v1/services/[name]/logs", path: "/api/v1/services/card-api/logs", status: 200 });
    for (const secret of [token, "sess-secret-value", "csrf-secret", "hunter22"]) expect(raw()).not.toContain(secret);
  });

  it("gives a request without a usable x-request-id a fresh one, and keeps two requests' lines apart", async () => {
    const { log, lines } = capturedLogger();
    const url = await serve((_req, res) => {
      log.info("handling");
      // Work a request starts for everyone (a shared poll) does not carry that request's id.
      outsideRequest(() => setTimeout(() => log.info("shared poll"), 1));
      setTimeout(() => res.end("ok"), 5);
    }, log);
    const [a, b] = await Promise.all([fetch(`${url}/`, { headers: { "x-request-id": "bad id with spaces" } }), fetch(`${url}/`)]);
    const ids = [a.headers.get("x-request-id"), b.headers.get("x-request-id")];
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    await expect.poll(() => lines.filter((l) => l.msg === "request").length).toBe(2);
    for (const id of ids) expect(lines.filter((l) => l.requestId === id).map((l) => l.msg)).toEqual(["handling", "request"]);
    expect(lines.filter((l) => l.msg === "shared poll").map((l) => l.requestId)).toEqual([undefined, undefined]);
  });

  it("counts requests by route template and status, and open event streams while they are open", async () => {
    const { log } = capturedLogger("silent");
    let closeStream: (() => void) | undefined;
    const url = await serve((req, res) => {
      if (req.url?.startsWith("/api/v1/services/card-api/logs/stream")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("retry: 2000\n\n");
        closeStream = () => res.end();
      } else res.writeHead(req.url === "/api/v1/services/nope" ? 404 : 200).end();
    }, log);
    const series = async (name: string, labels: string) => {
      const text = await telemetry().registry.getSingleMetricAsString(name);
      const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      return line ? Number(line.split(" ").at(-1)) : 0;
    };
    const before = await series("slipway_http_requests_total", 'route="/api/v1/services/[name]",status="404"');
    await fetch(`${url}/api/v1/services/nope`);
    await fetch(`${url}/api/v1/services/card-api`);
    const stream = await fetch(`${url}/api/v1/services/card-api/logs/stream`);
    await expect.poll(() => series("slipway_sse_streams_open", 'route="/api/v1/services/[name]/logs/stream"')).toBe(1);
    closeStream!();
    await stream.text();
    await expect.poll(() => series("slipway_sse_streams_open", 'route="/api/v1/services/[name]/logs/stream"')).toBe(0);
    expect(await series("slipway_http_requests_total", 'route="/api/v1/services/[name]",status="404"')).toBe(before + 1);
    const buckets = await telemetry().registry.getSingleMetricAsString("slipway_http_request_duration_seconds");
    expect(buckets).toContain('slipway_http_request_duration_seconds_count{method="GET",route="/api/v1/services/[name]",status="200"}');
    expect(buckets).not.toContain("card-api");
  });
});
