import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale } from "../../../server/cli/build-if-stale";
import { openDatabase, type Database } from "../../../server/shared/db";
import { sessionFor, tokenFor } from "../../fixtures/api";
import { adminUrl, databaseUrl } from "../../fixtures/global-setup";
import { e2eDistDir, freePort, startSlipway, type RunningSlipway } from "../../fixtures/slipway-server";

/**
 * Slipway's own telemetry as an operator meets it: the real server (the custom server around Next.js, the demo's
 * simulated clusters and log store) on Postgres, /metrics scraped from its own port after a few requests, and the
 * JSON request log read from its standard output.
 */

type Series = Map<string, number>;

/** Prometheus text format, as series ("name{labels}") to values; label order as Slipway writes it. */
function parseExposition(text: string): Series {
  const series: Series = new Map();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The value of the one series of `name` whose labels include all of `labels` (0 when none). */
function valueOf(series: Series, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const found = [...series].filter(([key]) => (key === name || key.startsWith(`${name}{`)) && wanted.every((w) => key.includes(w)));
  return found.reduce((sum, [, value]) => sum + value, 0);
}

describe("Slipway's own telemetry, served", () => {
  const dbName = `slipway_telemetry_${process.pid}_${Date.now().toString(36)}`;
  let slipway: RunningSlipway;
  let database: Database;
  let metricsUrl: string;

  beforeAll(async () => {
    buildIfStale(e2eDistDir);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    const metricsPort = await freePort();
    slipway = await startSlipway({ DATABASE_URL: databaseUrl(dbName), SLIPWAY_DEMO: "on", SLIPWAY_METRICS_PORT: String(metricsPort), LOG_LEVEL: "info" });
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    database = await openDatabase({ databaseUrl: databaseUrl(dbName) });
  }, 900_000);

  afterAll(async () => {
    await slipway?.stop();
    await database?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it("serves /metrics on its own port with the series an operator queries, labelled by route template", async () => {
    const caller = await tokenFor(database, { person: "amara.okafor" }, ["read"]);
    const auth = { authorization: `Bearer ${caller.token}` };
    expect((await fetch(`${slipway.url}/api/v1/services/card-api`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${slipway.url}/api/v1/services/card-api/logs?environment=production`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${slipway.url}/api/v1/services/no-such-service`, { headers: auth })).status).toBe(404);
    // A runtime stream held open while Prometheus scrapes.
    const leave = new AbortController();
    const stream = await fetch(`${slipway.url}/api/v1/services/card-api/runtime/stream`, { headers: auth, signal: leave.signal });
    expect(stream.status).toBe(200);

    const scrape = async () => {
      const response = await fetch(metricsUrl);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      return parseExposition(await response.text());
    };
    const open = await scrape();
    expect(valueOf(open, "slipway_sse_streams_open", { route: "/api/v1/services/[name]/runtime/stream" })).toBe(1);
    leave.abort();

    await expect.poll(async () => valueOf(await scrape(), "slipway_sse_streams_open", { route: "/api/v1/services/[name]/runtime/stream" })).toBe(0);
    const s = await scrape();
    expect(valueOf(s, "slipway_http_requests_total", { method: "GET", route: "/api/v1/services/[name]", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(s, "slipway_http_requests_total", { method: "GET", route: "/api/v1/services/[name]", status: "404" })).toBe(1);
    expect(valueOf(s, "slipway_http_request_duration_seconds_count", { route: "/api/v1/services/[name]/logs", status: "200" })).toBe(1);
    expect(valueOf(s, "slipway_http_request_duration_seconds_bucket", { route: "/api/v1/services/[name]/logs", le: "+Inf" })).toBe(1);
    // Bounded labels: no raw path, service name or id ever becomes a label value.
    expect([...s.keys()].filter((k) => k.includes("card-api") || k.includes("no-such-service"))).toEqual([]);
    // The demo's simulated clusters and log store are called like real ones.
    expect(valueOf(s, "slipway_kube_requests_total", { verb: "list", outcome: "ok" })).toBeGreaterThan(0);
    expect(valueOf(s, "slipway_kube_requests_total", { cluster: "production", verb: "watch", outcome: "ok" })).toBeGreaterThan(0);
    expect(valueOf(s, "slipway_backend_requests_total", { backend: "elasticsearch", source: "production", operation: "search", outcome: "ok" })).toBe(1);
    expect(valueOf(s, "slipway_backend_request_duration_seconds_count", { backend: "elasticsearch", operation: "search" })).toBe(1);
    expect(valueOf(s, "slipway_db_pool_max_connections", {})).toBe(10);
    expect(valueOf(s, "slipway_db_pool_connections", {})).toBeGreaterThan(0);
    expect(s.has("slipway_db_pool_waiting_requests")).toBe(true);
    expect(s.has('slipway_rollouts_in_flight{state="progressing"}')).toBe(true);
    expect(s.has("slipway_reconciler_lag_seconds")).toBe(true);
    expect(s.has("process_resident_memory_bytes")).toBe(true);
    // Not on the app's port: the ingress never exposes it.
    const onAppPort = await fetch(`${slipway.url}/metrics`, { redirect: "manual" });
    expect(onAppPort.headers.get("content-type") ?? "").not.toMatch(/version=0\.0\.4/);
    expect(await onAppPort.text()).not.toContain("slipway_http_requests_total");
  });

  it("logs one JSON line per request with its request id and its caller, and never a credential", async () => {
    const caller = await tokenFor(database, { person: "amara.okafor" }, ["read"]);
    const session = await sessionFor(database, "tom.hughes");
    const byToken = await fetch(`${slipway.url}/api/v1/services/card-api`, {
      headers: { authorization: `Bearer ${caller.token}`, "x-request-id": "ci-4711-token" },
    });
    expect(byToken.headers.get("x-request-id")).toBe("ci-4711-token");
    const bySession = await fetch(`${slipway.url}/api/v1/services/card-api`, {
      headers: { cookie: `slipway_session=${session.cookie}; slipway_csrf=${session.csrf}`, "x-request-id": "ci-4711-session" },
    });
    expect(bySession.status).toBe(200);
    const refused = await fetch(`${slipway.url}/api/v1/services/card-api`, {
      headers: { authorization: "Bearer slw_not-a-real-token-1234567890", "x-request-id": "ci-4711-refused" },
    });
    expect(refused.status).toBe(401);

    const lines = () =>
      slipway
        .log()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    await expect.poll(() => lines().filter((l) => String(l.requestId).startsWith("ci-4711-") && l.msg === "request").length).toBe(3);
    const tom = await database.prisma.person.findUniqueOrThrow({ where: { name: "tom.hughes" } });
    expect(lines().find((l) => l.requestId === "ci-4711-token" && l.msg === "request")).toMatchObject({
      service: "slipway",
      method: "GET",
      route: "/api/v1/services/[name]",
      path: "/api/v1/services/card-api",
      status: 200,
      principal: `token:${caller.id}`,
    });
    expect(lines().find((l) => l.requestId === "ci-4711-session" && l.msg === "request")).toMatchObject({ principal: `person:${tom.id}`, status: 200 });
    expect(lines().find((l) => l.requestId === "ci-4711-refused" && l.msg === "request")).toMatchObject({ status: 401 });
    for (const secret of [caller.token, session.cookie, session.csrf, "slw_not-a-real-token-1234567890"]) expect(slipway.log()).not.toContain(secret);
  });
});
