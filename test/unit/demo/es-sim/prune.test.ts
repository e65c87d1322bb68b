import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedLines, startEsSim, type EsSim } from "@/server/demo/es-sim";
import { DAY, raw, record } from "./helpers";

/**
 * The simulator narrows a search to the documents a range, an exact term, `ids` or `_index` can match (as Lucene's
 * points and postings do) instead of scanning every document. These tests show the answers are exactly those of a
 * scan: the same clauses inside a `should` (which is never narrowed) give the same hits, counts and buckets.
 */
describe("es-sim pruning by time, term and id", () => {
  let sim: EsSim;
  const pods = ["web-7d9c6b5f4-aaaaa", "web-7d9c6b5f4-bbbbb", "api-5c8d7f6b9-ccccc"];

  beforeAll(async () => {
    sim = await startEsSim({ now: () => DAY + 3_600_000 });
    // Two daily indices, written out of time order (a late flush), with equal timestamps and a multi-valued one.
    let seed = 5;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const records = Array.from({ length: 900 }, (_, i) =>
      record({ time: DAY - 1_800_000 + Math.floor(rand() * 3_600_000), nanos: 0, pod: pods[i % 3]!, line: `line ${i} ${i % 7 === 0 ? "error" : "ok"}` }),
    );
    await feedLines(sim, records.slice(0, 600), { refresh: "true" });
    await feedLines(sim, records.slice(600).reverse(), { refresh: "true" });
  });

  afterAll(async () => {
    await sim.stop();
  });

  const sort = [{ "@timestamp": "desc" }, { _doc: "asc" }];
  const unpruned = (filter: unknown[]) => ({ bool: { should: [{ bool: { filter } }], minimum_should_match: 1 } });

  it.each([
    ["a range", [{ range: { "@timestamp": { gte: DAY - 600_000, lt: DAY + 300_000, format: "epoch_millis" } } }]],
    ["a range in date math and strings", [{ range: { "@timestamp": { gt: "2026-12-04T23:50:00Z", lte: "now-50m" } } }]],
    ["a term and a range", [{ term: { "kubernetes.pod_name.keyword": pods[1] } }, { range: { "@timestamp": { gte: DAY - 900_000, lte: DAY } } }]],
    ["a term alone", [{ term: { "kubernetes.pod_name.keyword": pods[2] } }]],
    ["an _index term", [{ term: { _index: "logstash-2026.12.05" } }, { match: { log: "error" } }]],
    ["nested bools", [{ bool: { filter: [{ range: { "@timestamp": { gte: DAY } } }, { term: { "kubernetes.pod_name.keyword": pods[0] } }] } }]],
  ])("%s: the same hits, count and buckets as a full scan", async (_name, filter) => {
    const aggs = { per_minute: { date_histogram: { field: "@timestamp", fixed_interval: "5m", min_doc_count: 0 } } };
    const body = (query: unknown) => ({ size: 1000, query, sort, track_total_hits: true, aggs, _source: false });
    const pruned = await raw(sim, "POST", "/logstash-*/_search", body({ bool: { filter } }));
    const scanned = await raw(sim, "POST", "/logstash-*/_search", body(unpruned(filter)));
    expect(pruned.status).toBe(200);
    const ids = (r: typeof pruned) => (r.json.hits.hits as Array<{ _id: string }>).map((h) => h._id);
    expect(ids(pruned).length).toBeGreaterThan(0);
    expect(ids(pruned)).toEqual(ids(scanned));
    expect(pruned.json.hits.total).toEqual(scanned.json.hits.total);
    expect(pruned.json.aggregations).toEqual(scanned.json.aggregations);
    const count = await raw(sim, "POST", "/logstash-*/_count", { query: { bool: { filter } } });
    expect(count.json.count).toBe(ids(scanned).length);
  });

  it("finds a line by id, in its index only", async () => {
    const some = await raw(sim, "POST", "/logstash-*/_search", { size: 3, sort, _source: false });
    for (const hit of some.json.hits.hits as Array<{ _id: string; _index: string }>) {
      const found = await raw(sim, "POST", "/logstash-*/_search", {
        query: { bool: { filter: [{ ids: { values: [hit._id, hit._id] } }, { term: { _index: hit._index } }] } },
      });
      expect((found.json.hits.hits as Array<{ _id: string }>).map((h) => h._id)).toEqual([hit._id]);
    }
  });

  it("sees lines written after the time index was built", async () => {
    const query = { bool: { filter: [{ range: { "@timestamp": { gte: DAY + 1_000_000 } } }] } };
    const before = await raw(sim, "POST", "/logstash-*/_count", { query });
    await feedLines(sim, [record({ time: DAY + 2_000_000, line: "late line" }), record({ time: DAY + 1_500_000, line: "later written, earlier stamped" })], {
      refresh: "true",
    });
    const after = await raw(sim, "POST", "/logstash-*/_count", { query });
    expect(after.json.count).toBe(before.json.count + 2);
  });
});
