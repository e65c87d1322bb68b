import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkBody, feedLines, fluentdDocument, startEsSim, type EsSim } from "@/server/demo/es-sim";
import { DAY, es8, raw, record, rejection } from "./helpers";

const ndjson = (lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;

describe("es-sim writes as fluentd sends them", () => {
  let sim: EsSim;

  beforeAll(async () => {
    sim = await startEsSim({ refreshIntervalMs: null });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("accepts fluent-plugin-elasticsearch bulk bodies into daily UTC indices, keeping nine-digit timestamps", async () => {
    const records = [
      record({ time: "2026-12-04T23:59:59.999999999Z", line: "last of the day" }),
      record({ time: DAY, nanos: 123_456, line: "first of the next", labels: { "app.kubernetes.io/name": "web", "helm.sh/chart": "web-1.0" } }),
    ];
    const entries = records.map((r) => fluentdDocument(r));
    expect(entries.map((e) => e.index)).toEqual(["logstash-2026.12.04", "logstash-2026.12.05"]);
    const response = await raw(sim, "POST", "/_bulk", bulkBody(entries), { "Content-Type": "application/x-ndjson" });
    expect(response.status).toBe(200);
    expect(response.json.errors).toBe(false);
    expect(response.json.items.map((i: any) => [i.index.status, i.index.result, i.index._index])).toEqual([
      [201, "created", "logstash-2026.12.04"],
      [201, "created", "logstash-2026.12.05"],
    ]);
    await raw(sim, "POST", "/logstash-*/_refresh");
    const found = await raw(sim, "POST", "/logstash-2026.12.05/_search", { query: { term: { "kubernetes.labels.helm_sh/chart.keyword": "web-1.0" } } });
    const source = found.json.hits.hits[0]._source;
    expect(source["@timestamp"]).toBe("2026-12-05T00:00:00.000123456+00:00");
    expect(source.log).toBe("first of the next\n");
    expect(source.docker.container_id).toMatch(/^[0-9a-f]{64}$/);
    expect(source.kubernetes).toMatchObject({ namespace_name: "shop", container_name: "app", labels: { "app_kubernetes_io/name": "web" } });
  });

  it("reports per-item errors (mapping conflicts, duplicate creates) while indexing the rest", async () => {
    const body = ndjson([
      { create: { _index: "app-logs", _id: "a" } },
      { "@timestamp": "2026-12-05T10:00:00Z", status: 200, kubernetes: { pod_name: "p" } },
      { create: { _index: "app-logs", _id: "a" } },
      { "@timestamp": "2026-12-05T10:00:01Z", status: 201 },
      { index: { _index: "app-logs" } },
      { "@timestamp": "2026-12-05T10:00:02Z", status: "ok" },
      { index: { _index: "app-logs" } },
      { "@timestamp": "2026-12-05T10:00:03Z", kubernetes: "not an object" },
      { index: { _index: "App-Logs" } },
      { log: "bad index name" },
      { index: { _index: "app-logs" } },
      { "@timestamp": "2026-12-05T10:00:04Z", status: "204" },
    ]);
    const response = await raw(sim, "POST", "/_bulk?refresh=true", body, { "Content-Type": "application/x-ndjson" });
    expect(response.json.errors).toBe(true);
    const items = response.json.items.map((i: any) => Object.values(i)[0]);
    expect(items.map((i: any) => i.status)).toEqual([201, 409, 400, 400, 400, 201]);
    expect(items[1].error.type).toBe("version_conflict_engine_exception");
    expect(items[1].error.reason).toBe("[a]: version conflict, document already exists (current version [1])");
    expect(items[2].error).toMatchObject({
      type: "document_parsing_exception",
      caused_by: { type: "illegal_argument_exception", reason: 'For input string: "ok"' },
    });
    expect(items[2].error.reason).toMatch(/^failed to parse field \[status\] of type \[long\] in document with id '[\w-]{20}'/);
    expect(items[3].error.reason).toBe("object mapping for [kubernetes] tried to parse field [kubernetes] as object, but found a concrete value");
    expect(items[4].error).toMatchObject({ type: "invalid_index_name_exception", reason: "Invalid index name [App-Logs], must be lowercase" });
    expect(items[5].result).toBe("created");
    expect(sim.documentCount("app-logs")).toBe(2);
  });

  it("refuses malformed bulk framing for the whole request", async () => {
    const type = await raw(sim, "POST", "/_bulk", ndjson([{ index: { _index: "x", _type: "_doc" } }, { a: 1 }]), { "Content-Type": "application/x-ndjson" });
    expect(type.status).toBe(400);
    expect(type.json.error.reason).toBe("Action/metadata line [1] contains an unknown parameter [_type]");
    const unterminated = await raw(sim, "POST", "/_bulk", ndjson([{ index: { _index: "x" } }, { a: 1 }]).trimEnd(), { "Content-Type": "application/x-ndjson" });
    expect(unterminated.json.error.reason).toBe("The bulk request must be terminated by a newline [\\n]");
    const noIndex = await raw(sim, "POST", "/_bulk", ndjson([{ index: {} }, { a: 1 }]), { "Content-Type": "application/x-ndjson" });
    expect(noIndex.json.error).toMatchObject({ type: "action_request_validation_exception", reason: "Validation Failed: 1: index is missing;" });
    const malformed = await raw(sim, "POST", "/logstash-*/_search", '{"query": {', { "Content-Type": "application/json" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.type).toBe("parsing_exception");
  });

  it("indexes single documents with PUT/POST _doc and reads them back in real time", async () => {
    const put = await raw(sim, "PUT", "/single/_doc/one", { "@timestamp": "2026-12-05T10:00:00Z", log: "hello" });
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({ _index: "single", _id: "one", result: "created", _version: 1 });
    const again = await raw(sim, "PUT", "/single/_doc/one", { "@timestamp": "2026-12-05T10:00:00Z", log: "hello again" });
    expect(again.json).toMatchObject({ result: "updated", _version: 2 });
    const got = await raw(sim, "GET", "/single/_doc/one");
    expect(got.json._source.log).toBe("hello again");
    const unseen = await raw(sim, "POST", "/single/_count", { query: { match: { log: "hello" } } });
    expect(unseen.json.count).toBe(0);
    await raw(sim, "POST", "/single/_doc?refresh=true", { log: "another" });
    expect((await raw(sim, "POST", "/single/_count", {})).json.count).toBe(2);
  });
});

describe("es-sim retention", () => {
  it("forgets lines older than a cutoff, so a long-running demo does not grow without end", async () => {
    const sim = await startEsSim({ refreshIntervalMs: null });
    try {
      await feedLines(sim, [record({ time: "2026-12-05T08:00:00Z", line: "old line" }), record({ time: "2026-12-05T11:00:00Z", line: "recent line" })]);
      sim.refresh();
      expect(sim.trimBefore(Date.parse("2026-12-05T10:00:00Z"))).toBe(1);
      const hits = (await es8(sim).search({ index: "logstash-*", query: { match_all: {} } })).hits.hits.map((h) => (h._source as { log: string }).log);
      expect(hits.map((l) => l.trim())).toEqual(["recent line"]);
    } finally {
      await sim.stop();
    }
  });
});

describe("es-sim refresh timing", () => {
  it("makes writes searchable only after the scheduled refresh (1 s by default), or at once with refresh=true|wait_for", async () => {
    const sim = await startEsSim();
    try {
      const client = es8(sim);
      await feedLines(sim, [record({ time: DAY, line: "tail me" })]);
      const writtenAt = Date.now();
      expect((await client.count({ index: "logstash-*" })).count).toBe(0);
      let visibleAt = 0;
      while (!visibleAt) {
        if ((await client.count({ index: "logstash-*" })).count === 1) visibleAt = Date.now();
        else await new Promise((r) => setTimeout(r, 50));
        if (Date.now() - writtenAt > 3000) throw new Error("never refreshed");
      }
      expect(visibleAt - writtenAt).toBeLessThan(1300);
      const waited = await client.index({ index: "logstash-2026.12.05", document: { log: "waited" }, refresh: "wait_for" });
      expect(waited.result).toBe("created");
      expect((await client.count({ index: "logstash-*" })).count).toBe(2);
    } finally {
      await sim.stop();
    }
  });
});

describe("es-sim failure modes, auth and headers", () => {
  let sim: EsSim;

  beforeAll(async () => {
    sim = await startEsSim({ flavour: "elasticsearch9", auth: { users: { elastic: "changeme" }, apiKeys: ["a2V5OnNlY3JldA=="] } });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("asks for credentials with security_exception and accepts basic auth and API keys", async () => {
    const anonymous = await raw(sim, "GET", "/");
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.type).toBe("security_exception");
    expect(anonymous.headers.get("www-authenticate")).toContain('Basic realm="security"');
    const wrong = await rejection(es8(sim, { auth: { username: "elastic", password: "nope" } }).info());
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body.error.reason).toBe("unable to authenticate user [elastic] for REST request [/]");
    expect((await es8(sim, { auth: { username: "elastic", password: "changeme" } }).info()).version.number).toMatch(/^9\./);
    expect((await es8(sim, { auth: { apiKey: "a2V5OnNlY3JldA==" } }).info()).cluster_name).toBe("es-sim");
  });

  it("injects 429/500/503 answers, once or until cleared, and client retries see them", async () => {
    const auth = { username: "elastic", password: "changeme" };
    const headers = { Authorization: `Basic ${Buffer.from("elastic:changeme").toString("base64")}` };
    sim.setFailure({ status: 429, paths: ["/_bulk"], times: 1 });
    const rejected = await rejection(feedLines(sim, [record({ time: DAY, line: "x" })], { headers }));
    expect(rejected.message).toMatch(/^bulk request failed with 429: .*es_rejected_execution_exception/);
    expect((await feedLines(sim, [record({ time: DAY, line: "x" })], { headers, refresh: "true" })).indexed).toBe(1);

    sim.setFailure({ status: 429, scope: "bulk-items" });
    const items = await feedLines(sim, [record({ time: DAY, line: "y" }), record({ time: DAY, line: "z" })], { headers });
    expect(items.failed.map((f) => f.status)).toEqual([429, 429]);
    sim.setFailure(null);

    sim.setFailure({ status: 503, paths: ["/_search"], times: 1 });
    const before = sim.requests().length;
    const retried = await es8(sim, { auth, maxRetries: 1 }).search({ index: "logstash-*" });
    expect(retried.hits.hits).toHaveLength(1);
    expect(sim.requests().length - before).toBe(2);

    sim.setFailure({ status: 500 });
    const failed = await rejection(es8(sim, { auth }).count({ index: "logstash-*" }));
    expect(failed.statusCode).toBe(500);
    sim.setFailure(null);
  });

  it("delays responses so client timeouts can be exercised", async () => {
    sim.setDelay(1500, ["/_search"]);
    const error = await rejection(es8(sim, { auth: { username: "elastic", password: "changeme" }, requestTimeout: 300 }).search({ index: "logstash-*" }));
    expect(error.name).toBe("TimeoutError");
    sim.setDelay(0);
  });

  it("checks compatibility headers as an Elasticsearch 9 server does, and names the product", async () => {
    const headers = { Authorization: `Basic ${Buffer.from("elastic:changeme").toString("base64")}` };
    const seven = await raw(sim, "GET", "/", undefined, { ...headers, Accept: "application/vnd.elasticsearch+json; compatible-with=7" });
    expect(seven.status).toBe(400);
    expect(seven.json.error.caused_by.reason).toMatch(/^Accept version must be either version 9 or 8, but found 7/);
    const plain = await raw(sim, "GET", "/", undefined, headers);
    expect(plain.headers.get("x-elastic-product")).toBe("Elasticsearch");
    const form = await raw(sim, "POST", "/_search", "{}", { ...headers, "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(406);
    const mismatch = await raw(sim, "POST", "/_search", "{}", {
      ...headers,
      Accept: "application/vnd.elasticsearch+json; compatible-with=8",
      "Content-Type": "application/vnd.elasticsearch+json; compatible-with=9",
    });
    expect(mismatch.json.error.caused_by.reason).toMatch(/compatible versions must match/);
  });
});
