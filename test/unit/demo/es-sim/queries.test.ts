import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@elastic/elasticsearch";
import { feedLines, startEsSim, type EsSim } from "@/server/demo/es-sim";
import { DAY, es8, record, rejection } from "./helpers";

const LINES = [
  { at: 1, line: "GET /api/orders/1 200 12ms" },
  { at: 2, line: "ERROR request to carts-service timed out after 3000ms", stream: "stderr" as const },
  { at: 3, line: "WARN retrying request to carts-service (attempt 2/3): connection reset by peer" },
  { at: 4, line: "timeout reached while out of connections" },
  {
    at: 5,
    line: '{"level":"error","msg":"payment declined for order 42: card_expired"}',
    namespace: "payments",
    pod: "gateway-5c7f8d9b6-q4w8e",
    labels: { app: "gateway", "app.kubernetes.io/name": "gateway" },
  },
  {
    at: 6,
    line: '{"level":"info","msg":"request completed","status":200,"duration_ms":31}',
    namespace: "payments",
    pod: "gateway-5c7f8d9b6-q4w8e",
    labels: { app: "gateway", "app.kubernetes.io/name": "gateway" },
  },
  { at: 7, line: "user=bob level:error path=/api/admin status:500" },
  { at: 8, line: "Timestamp 2026-12-05T00:00:08Z processed item foo-bar.baz" },
];

function texts(hits: Array<{ _source?: unknown }>): string[] {
  return hits.map((h) => ((h._source as { log: string }).log ?? "").trimEnd());
}

describe("es-sim query DSL", () => {
  let sim: EsSim;
  let client: Client;

  const search = async (query: unknown, extra: Record<string, unknown> = {}) =>
    texts((await client.search({ index: "logstash-*", query: query as never, sort: [{ "@timestamp": "asc" }], size: 100, ...extra })).hits.hits);

  beforeAll(async () => {
    sim = await startEsSim();
    client = es8(sim);
    const records = LINES.map((l) =>
      record({
        time: DAY + l.at * 1000,
        line: l.line,
        ...(l.stream ? { stream: l.stream } : {}),
        ...(l.namespace ? { namespace: l.namespace, pod: l.pod, labels: l.labels } : {}),
      }),
    );
    await feedLines(sim, records, { refresh: "true" });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("maps fluentd documents dynamically: text with a keyword sub-field, dates, longs", async () => {
    const mapping = await client.indices.getMapping({ index: "logstash-2026.12.05" });
    const props = mapping["logstash-2026.12.05"]!.mappings.properties as Record<string, any>;
    expect(props["@timestamp"]).toEqual({ type: "date" });
    expect(props.log).toEqual({ type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } });
    expect(props.kubernetes.properties.labels.properties["app_kubernetes_io/name"].type).toBe("text");
    expect(props.status).toEqual({ type: "long" });
  });

  it("term on .keyword matches exact values; term on the text field matches analysed lowercase tokens", async () => {
    expect(await search({ term: { "kubernetes.pod_name.keyword": "gateway-5c7f8d9b6-q4w8e" } })).toHaveLength(2);
    expect(await search({ term: { "kubernetes.pod_name": "gateway-5c7f8d9b6-q4w8e" } })).toHaveLength(0);
    expect(await search({ term: { "kubernetes.pod_name": "gateway" } })).toHaveLength(2);
    expect(await search({ term: { log: "ERROR" } })).toHaveLength(0);
    // "level:error" is one token (the standard tokenizer joins letters across ":"), so that line has no "error" token.
    expect(await search({ term: { log: "error" } })).toHaveLength(2);
    expect(await search({ term: { "kubernetes.labels.app_kubernetes_io/name.keyword": "gateway" } })).toHaveLength(2);
    expect(await search({ term: { "kubernetes.namespace_name.keyword": "Payments" } })).toHaveLength(0);
    expect(await search({ term: { "kubernetes.namespace_name.keyword": { value: "Payments", case_insensitive: true } } })).toHaveLength(2);
  });

  it("bool with filter, terms, range, must_not and should/minimum_should_match", async () => {
    const lines = await search({
      bool: {
        filter: [
          { terms: { "kubernetes.namespace_name.keyword": ["shop", "nope"] } },
          { range: { "@timestamp": { gte: "2026-12-05T00:00:02.000000000+00:00", lt: DAY + 7000, format: "strict_date_optional_time||epoch_millis" } } },
        ],
        must_not: [{ term: { "stream.keyword": "stderr" } }],
        should: [{ match: { log: "retrying" } }, { match: { log: "timeout" } }, { match: { log: "orders" } }],
        minimum_should_match: 1,
      },
    });
    expect(lines).toEqual(["WARN retrying request to carts-service (attempt 2/3): connection reset by peer", "timeout reached while out of connections"]);
    expect(await search({ range: { status: { gte: 200, lt: 300 } } })).toHaveLength(1);
    // A date without time as an upper bound covers the whole day, as ES rounds lte up.
    expect(await search({ range: { "@timestamp": { lte: "2026-12-05" } } })).toHaveLength(LINES.length);
    expect(await search({ range: { "@timestamp": { lt: "2026-12-05" } } })).toHaveLength(0);
  });

  it("exists, match with operator and match_phrase", async () => {
    expect(await search({ exists: { field: "level" } })).toHaveLength(2);
    expect(await search({ exists: { field: "kubernetes.labels" } })).toHaveLength(LINES.length);
    expect(await search({ match: { log: { query: "timed out", operator: "and" } } })).toEqual(["ERROR request to carts-service timed out after 3000ms"]);
    expect(await search({ match: { log: "timed out" } })).toHaveLength(2);
    expect(await search({ match_phrase: { log: "out of connections" } })).toEqual(["timeout reached while out of connections"]);
    expect(await search({ match_phrase: { log: "connections of out" } })).toHaveLength(0);
    expect(await search({ match: { level: "ERROR" } })).toHaveLength(1);
  });

  describe("simple_query_string", () => {
    const LIMITED = "AND|OR|NOT|PHRASE|PRECEDENCE|ESCAPE|WHITESPACE";
    const sqs = (query: string, extra: Record<string, unknown> = {}) =>
      search({ simple_query_string: { query, fields: ["log", "message"], flags: LIMITED, ...extra } });

    it("reads Lucene field syntax as text: no field is queried through it", async () => {
      // query_string would read this as a field query and match both payments lines.
      expect(await sqs("kubernetes.namespace_name:payments")).toHaveLength(0);
      // The standard tokenizer keeps "level:error" as one token, so only the line with that literal text matches.
      expect(await sqs("level:error")).toEqual(["user=bob level:error path=/api/admin status:500"]);
      expect(await sqs("level:error AND OR NOT")).toEqual(["user=bob level:error path=/api/admin status:500"]);
    });

    it("treats a JSON fragment as words and phrases without failing", async () => {
      const both = await sqs('{"level":"error"}', { default_operator: "and" });
      expect(both).toEqual(['{"level":"error","msg":"payment declined for order 42: card_expired"}']);
      expect(await sqs('{"msg":"payment declined')).toEqual(expect.arrayContaining(['{"level":"error","msg":"payment declined for order 42: card_expired"}']));
    });

    it("takes * as text unless PREFIX is enabled", async () => {
      expect(await sqs("time*")).toHaveLength(0);
      expect(await sqs("time*", { flags: `${LIMITED}|PREFIX` })).toEqual([
        "ERROR request to carts-service timed out after 3000ms",
        "timeout reached while out of connections",
        "Timestamp 2026-12-05T00:00:08Z processed item foo-bar.baz",
      ]);
    });

    it("applies +, |, -, phrases, precedence and escapes as Lucene's parser does", async () => {
      expect(await sqs("carts -retrying", { default_operator: "and" })).toEqual(["ERROR request to carts-service timed out after 3000ms"]);
      // With OR, "-x" matches everything without x: the famous surprise, reproduced.
      expect(await sqs("carts -retrying")).toHaveLength(LINES.length);
      expect(await sqs('"timed out"')).toEqual(["ERROR request to carts-service timed out after 3000ms"]);
      expect(await sqs("(orders | peer) + get")).toEqual(["GET /api/orders/1 200 12ms"]);
      expect(await sqs("\\-retrying", { default_operator: "and" })).toEqual(["WARN retrying request to carts-service (attempt 2/3): connection reset by peer"]);
      expect(await sqs('"timed out')).toHaveLength(2);
      expect(await sqs("")).toHaveLength(0);
      expect(await sqs("foo-bar.baz", { default_operator: "and" })).toEqual(["Timestamp 2026-12-05T00:00:08Z processed item foo-bar.baz"]);
    });

    it("never answers an error, whatever the user types", async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: fc.constantFrom(..."ab \"'()+-|*~\\{}:[]/!^&?".split("")), maxLength: 24 }), async (query) => {
          await search({ simple_query_string: { query, fields: ["log"], flags: LIMITED } });
          await search({ simple_query_string: { query } });
        }),
        { numRuns: 60 },
      );
    });
  });

  it("answers parsing_exception for an unknown query and a malformed term, and refuses query_string loudly", async () => {
    const unknown = await rejection(client.search({ index: "logstash-*", query: { bogus: { query: "x" } } as never }));
    expect(unknown.body.error.type).toBe("parsing_exception");
    expect(unknown.body.error.reason).toBe("unknown query [bogus]");
    const multi = await rejection(client.search({ index: "logstash-*", query: { term: { a: "x", b: "y" } } as never }));
    expect(multi.body.error.reason).toBe("[term] query doesn't support multiple fields, found [a] and [b]");
    const lucene = await rejection(client.search({ index: "logstash-*", query: { query_string: { query: "level:error" } } }));
    expect(lucene.body.error.reason).toBe("[es-sim] the [query_string] query is not supported by this simulator");
  });

  it("sorts a text field as ES refuses to, and aggregates error lines per minute", async () => {
    const error = await rejection(client.search({ index: "logstash-*", sort: [{ log: "asc" }] }));
    expect(error.statusCode).toBe(400);
    expect(error.body.error.root_cause[0].reason).toMatch(/^Fielddata is disabled on \[log\]/);
    const histogram = await client.search({
      index: "logstash-*",
      size: 0,
      query: { term: { "stream.keyword": "stderr" } },
      aggs: { per_minute: { date_histogram: { field: "@timestamp", fixed_interval: "1m", extended_bounds: { min: DAY, max: DAY + 120_000 } } } },
    });
    const buckets = (histogram.aggregations!.per_minute as { buckets: Array<{ key: number; doc_count: number }> }).buckets;
    expect(buckets.map((b) => [b.key - DAY, b.doc_count])).toEqual([
      [0, 1],
      [60_000, 0],
      [120_000, 0],
    ]);
  });
});
