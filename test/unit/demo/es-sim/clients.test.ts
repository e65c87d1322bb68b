import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedLines, startEsSim, type EsSim } from "@/server/demo/es-sim";
import { DAY, es8, es9, opensearch, record, rejection } from "./helpers";

const LOGS = [
  record({ time: DAY + 1000, line: "GET /api/orders/1 200 12ms" }),
  record({ time: DAY + 2000, line: "POST /api/orders 500 1800ms upstream timed out", stream: "stderr" }),
  record({ time: DAY + 3000, namespace: "payments", pod: "gateway-5c7f8d9b6-q4w8e", line: '{"level":"error","msg":"card declined"}' }),
];

const FILTER = {
  bool: { filter: [{ term: { "kubernetes.namespace_name.keyword": "shop" } }, { range: { "@timestamp": { gte: "2026-12-05T00:00:00Z", lt: "2026-12-06" } } }] },
};

describe("es-sim with the real clients", () => {
  const sims: EsSim[] = [];
  let es8Server: EsSim;
  let es9Server: EsSim;
  let osServer: EsSim;

  beforeAll(async () => {
    [es8Server, es9Server, osServer] = await Promise.all([
      startEsSim({ flavour: "elasticsearch8" }),
      startEsSim({ flavour: "elasticsearch9" }),
      startEsSim({ flavour: "opensearch2" }),
    ]);
    sims.push(es8Server, es9Server, osServer);
    for (const sim of sims) await feedLines(sim, LOGS, { refresh: "true" });
  });

  afterAll(async () => {
    await Promise.all(sims.map((s) => s.stop()));
  });

  it("the 8.x client talks to an Elasticsearch 8 server: info, bulk, search", async () => {
    const client = es8(es8Server);
    const info = await client.info();
    expect(info.version.number).toBe("8.19.2");
    const bulk = await client.bulk({
      refresh: true,
      operations: [
        { index: { _index: "logstash-2026.12.05" } },
        { "@timestamp": "2026-12-05T00:00:04.000000001+00:00", log: "GET /health 200\n", kubernetes: { namespace_name: "shop" } },
      ],
    });
    expect(bulk.errors).toBe(false);
    const found = await client.search({ index: "logstash-*", query: FILTER, sort: [{ "@timestamp": "desc" }] });
    expect(found.hits.total).toEqual({ value: 3, relation: "eq" });
    expect(found.hits.hits.map((h) => (h._source as { log: string }).log)).toEqual([
      "GET /health 200\n",
      "POST /api/orders 500 1800ms upstream timed out\n",
      "GET /api/orders/1 200 12ms\n",
    ]);
    expect((await client.count({ index: "logstash-*", query: { match_all: {} } })).count).toBe(4);
    expect(await client.ping()).toBe(true);
    expect((await client.indices.refresh({ index: "_all" }))._shards?.failed).toBe(0);
    expect(await client.indices.exists({ index: "logstash-2026.12.05" })).toBe(true);
  });

  it("the 8.x client talks to an Elasticsearch 9 server through REST compatibility", async () => {
    const client = es8(es9Server);
    expect((await client.info()).version.number).toMatch(/^9\./);
    const found = await client.search({ index: "logstash-*", query: FILTER });
    expect(found.hits.hits).toHaveLength(2);
  });

  it("the 9.x client talks to an Elasticsearch 9 server", async () => {
    const client = es9(es9Server);
    expect((await client.info()).version.number).toMatch(/^9\./);
    const found = await client.search({ index: "logstash-*", query: { term: { "kubernetes.namespace_name.keyword": "payments" } } });
    expect(found.hits.hits.map((h) => (h._source as { msg: string }).msg)).toEqual(["card declined"]);
  });

  it("the 9.x client is refused by an Elasticsearch 8 server, as a real one refuses compatible-with=9", async () => {
    const error = await rejection(es9(es8Server).info());
    expect(error.name).toBe("ResponseError");
    expect(error.statusCode).toBe(400);
    expect(error.body.error.type).toBe("media_type_header_exception");
    expect(error.body.error.caused_by.reason).toMatch(/^Accept version must be either version 8 or 7, but found 9\./);
  });

  it("the Elasticsearch client refuses an OpenSearch server (no X-Elastic-Product header)", async () => {
    const error = await rejection(es8(osServer).info());
    expect(error.name).toBe("ProductNotSupportedError");
  });

  it("the OpenSearch client reads with its own point in time API", async () => {
    const client = opensearch(osServer);
    const info = await client.info();
    expect(info.body.version.distribution).toBe("opensearch");
    const pit = await client.createPit({ index: ["logstash-*"], keep_alive: "1m" });
    expect(typeof pit.body.pit_id).toBe("string");
    expect(pit.body.creation_time).toEqual(expect.any(Number));
    await client.bulk({
      refresh: "true",
      body: [{ index: { _index: "logstash-2026.12.05" } }, { "@timestamp": "2026-12-05T00:00:09Z", log: "after the pit\n" }],
    });
    // OpenSearch 2.x has no _shard_doc (3.3 added it): it is an unmapped field, and every shard fails on it.
    const shardDoc = await rejection(
      client.search({ body: { pit: { id: pit.body.pit_id, keep_alive: "1m" }, size: 10, sort: [{ "@timestamp": "desc" }, { _shard_doc: "desc" }] } }),
    );
    expect(shardDoc.meta?.statusCode ?? shardDoc.statusCode).toBe(400);
    expect(JSON.stringify(shardDoc.meta?.body)).toContain("No mapping found for [_shard_doc] in order to sort on");
    // `_id` sorts there (indices.id_field_data.enabled defaults to true), and no tie-breaker is added to the sort.
    const page = await client.search({ body: { pit: { id: pit.body.pit_id, keep_alive: "1m" }, size: 10, sort: [{ "@timestamp": "desc" }, { _id: "desc" }] } });
    expect(page.body.hits.hits).toHaveLength(3);
    expect(page.body.pit_id).toBe(pit.body.pit_id);
    const implicit = await client.search({ body: { pit: { id: pit.body.pit_id, keep_alive: "1m" }, size: 10, sort: [{ "@timestamp": "desc" }] } });
    expect(implicit.body.hits.hits[0]?.sort).toHaveLength(1);
    const deleted = await client.deletePit({ body: { pit_id: [pit.body.pit_id] } });
    expect(deleted.body.pits).toEqual([{ succeeded: true, pit_id: pit.body.pit_id }]);
    const gone = await rejection(client.search({ body: { pit: { id: pit.body.pit_id } } }));
    expect(gone.meta?.statusCode ?? gone.statusCode).toBe(404);
  });
});
