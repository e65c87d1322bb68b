import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMetricsQueryError, PrometheusSource } from "../../../server/metrics";
import { closedPortUrl } from "../../fixtures/prometheus";

/** A stand-in speaking just enough of the Prometheus HTTP API to answer what each test sets. */
type Answer = { status: number; body: string; type?: string; delayMs?: number };
let answer: Answer;
let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      setTimeout(() => {
        res.writeHead(answer.status, { "Content-Type": answer.type ?? "application/json" });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prometheus/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const matrix = JSON.stringify({
  status: "success",
  data: {
    resultType: "matrix",
    result: [
      {
        metric: { pod: "a" },
        values: [
          [1700000000, "1.5"],
          [1700000015, "NaN"],
          [1700000030, "+Inf"],
        ],
      },
    ],
  },
});
const error = (status: number, errorType: string, message: string): Answer => ({
  status,
  body: JSON.stringify({ status: "error", errorType, error: message }),
});
const range = { start: 1700000000, end: 1700000030, step: 15 };

async function failure(source: PrometheusSource, timeoutMs = 2000) {
  const e = await source.queryRange("up", range, { timeoutMs }).catch((x: unknown) => x);
  expect(isMetricsQueryError(e)).toBe(true);
  return e as { metricsCode: string; message: string };
}

describe("the Prometheus HTTP client", () => {
  it("POSTs a form-encoded query_range with the configured auth and tenant headers, and maps the matrix", async () => {
    answer = { status: 200, body: matrix };
    const source = new PrometheusSource({ url, name: "Mimir", bearerToken: "t0ken", headers: { "X-Scope-OrgID": "cards" } });
    const series = await source.queryRange('sum(rate(x{a="1+1 & b"}[1m]))', range, { timeoutMs: 2000 });
    expect(series).toEqual([
      {
        labels: { pod: "a" },
        points: [
          [1700000000000, 1.5],
          [1700000015000, null],
          [1700000030000, null],
        ],
      },
    ]);
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/prometheus/api/v1/query_range");
    expect(seen.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen.headers.authorization).toBe("Bearer t0ken");
    expect(seen.headers["x-scope-orgid"]).toBe("cards");
    const form = new URLSearchParams(seen.body);
    expect(form.get("query")).toBe('sum(rate(x{a="1+1 & b"}[1m]))');
    expect([form.get("start"), form.get("end"), form.get("step"), form.get("timeout")]).toEqual(["1700000000", "1700000030", "15", "2s"]);
  });

  it("sends basic auth", async () => {
    answer = { status: 200, body: matrix };
    await new PrometheusSource({ url, name: "Prometheus", basicAuth: { username: "slipway", password: "pw" } }).queryRange("up", range, { timeoutMs: 2000 });
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from("slipway:pw").toString("base64")}`);
  });

  it("maps Prometheus's errors to readable panel errors", async () => {
    const source = new PrometheusSource({ url, name: "Prometheus for staging" });
    answer = error(400, "bad_data", '1:5: parse error: unexpected "}"');
    expect(await failure(source)).toMatchObject({
      metricsCode: "bad_data",
      message: 'Prometheus for staging rejected the query: 1:5: parse error: unexpected "}"',
    });
    answer = error(422, "execution", "query processing would load too many samples into memory");
    expect(await failure(source)).toMatchObject({
      metricsCode: "execution",
      message: "Prometheus for staging could not run the query: query processing would load too many samples into memory",
    });
    answer = error(503, "timeout", "query timed out in expression evaluation");
    expect(await failure(source)).toMatchObject({ metricsCode: "timeout", message: expect.stringContaining("gave up on the query") });
    answer = { status: 502, body: "<html><body>Bad Gateway</body></html>", type: "text/html" };
    expect(await failure(source)).toMatchObject({
      metricsCode: "invalid_response",
      message: expect.stringContaining("answered HTTP 502 with text/html, not the Prometheus API's JSON"),
    });
    answer = { status: 401, body: "unauthorized", type: "text/plain" };
    expect((await failure(source)).metricsCode).toBe("invalid_response");
    answer = { status: 403, body: JSON.stringify({ status: "error", errorType: "unauthorized", error: "no" }) };
    expect(await failure(source)).toMatchObject({ metricsCode: "unauthorized", message: "Prometheus for staging refused Slipway's credentials (HTTP 403)" });
    answer = { status: 200, body: JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values: [["x", 1]] }] } }) };
    expect((await failure(source)).metricsCode).toBe("invalid_response");
  });

  it("times out, and says when Prometheus is down", async () => {
    answer = { status: 200, body: matrix, delayMs: 1500 };
    const slow = await failure(new PrometheusSource({ url, name: "Prometheus" }), 200);
    expect(slow).toMatchObject({ metricsCode: "timeout", message: "Prometheus did not answer within 0.2s" });
    const down = new PrometheusSource({ url: await closedPortUrl(), name: "Prometheus" });
    expect(await failure(down)).toMatchObject({ metricsCode: "unreachable", message: expect.stringContaining("refused the connection") });
  });

  it("refuses answers over its size and series limits", async () => {
    answer = { status: 200, body: matrix };
    expect((await failure(new PrometheusSource({ url, name: "Prometheus", maxResponseBytes: 50 }))).metricsCode).toBe("too_large");
    const e = await new PrometheusSource({ url, name: "Prometheus" }).queryRange("up", range, { timeoutMs: 2000, maxSeries: 0 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ metricsCode: "too_large", message: expect.stringContaining("returned 1 series") });
  });

  it("reads instant vectors and active alerts", async () => {
    const source = new PrometheusSource({ url, name: "Prometheus" });
    const vector = { resultType: "vector", result: [{ metric: { a: "b" }, value: [1700000000.5, "4.1"] }] };
    answer = { status: 200, body: JSON.stringify({ status: "success", data: vector }) };
    expect(await source.query("x", 1700000000, { timeoutMs: 2000 })).toEqual([{ labels: { a: "b" }, points: [[1700000000500, 4.1]] }]);
    answer = {
      status: 200,
      body: JSON.stringify({
        status: "success",
        data: {
          alerts: [
            { labels: { alertname: "X", namespace: "cards" }, annotations: {}, state: "firing", activeAt: "2026-11-22T10:00:00Z", value: "1e+00" },
            { labels: { alertname: "Y" }, state: "inactive" },
          ],
        },
      }),
    };
    expect(await source.alerts({ timeoutMs: 2000 })).toEqual([
      { name: "X", state: "firing", labels: { alertname: "X", namespace: "cards" }, annotations: {}, activeAt: "2026-11-22T10:00:00Z", value: "1e+00" },
    ]);
    expect(seen).toMatchObject({ method: "GET", url: "/prometheus/api/v1/alerts" });
  });
});
