import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, estypes } from "@elastic/elasticsearch";
import { feedLines, startEsSim, type EsSim } from "@/server/demo/es-sim";
import { DAY, es8, raw, record, rejection } from "./helpers";

const SORT: estypes.SortCombinations[] = [{ "@timestamp": "desc" }, { _shard_doc: "desc" }];

describe("es-sim paging with a point in time", () => {
  let sim: EsSim;
  let client: Client;
  let clock = DAY + 3_600_000;

  beforeAll(async () => {
    sim = await startEsSim({ now: () => clock });
    client = es8(sim);
    // 25 lines across midnight (two daily indices); every fifth pair shares a timestamp, so _shard_doc breaks ties.
    const records = Array.from({ length: 25 }, (_, i) => record({ time: DAY - 12_000 + Math.floor(i / 2) * 1000, nanos: 0, line: `line ${i}` }));
    await feedLines(sim, records, { refresh: "true" });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("pages with search_after through a frozen view while new lines arrive", async () => {
    expect(sim.indexNames()).toEqual(["logstash-2026.12.04", "logstash-2026.12.05"]);
    const pit = await client.openPointInTime({ index: "logstash-*", keep_alive: "1m" });
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (let page = 0; page < 3; page++) {
      const result = await client.search({ pit: { id: pit.id, keep_alive: "1m" }, size: 10, sort: SORT, ...(after ? { search_after: after as never } : {}) });
      const hits = result.hits.hits;
      expect(hits).toHaveLength(page < 2 ? 10 : 5);
      seen.push(...hits.map((h) => (h._source as { log: string }).log.trim()));
      after = hits.at(-1)!.sort;
      expect(after).toHaveLength(2);
      expect(result.pit_id).toBe(pit.id);
      if (page === 0) {
        // Written and refreshed after the PIT opened: a plain search sees them, the PIT never does.
        await feedLines(sim, [record({ time: DAY + 60_000, line: "late 1" }), record({ time: DAY - 1000, line: "late 2" })], { refresh: "true" });
      }
    }
    expect(new Set(seen).size).toBe(25);
    expect(seen.slice(0, 3)).toEqual(["line 24", "line 23", "line 22"]);
    expect(seen.at(-1)).toBe("line 0");
    const plain = await client.search({ index: "logstash-*", size: 0, track_total_hits: true });
    expect(plain.hits.total).toEqual({ value: 27, relation: "eq" });
    const closed = await client.closePointInTime({ id: pit.id });
    expect(closed).toMatchObject({ succeeded: true, num_freed: 1 });
  });

  it("refuses an index next to a pit, and answers 404 for a closed or expired one", async () => {
    const pit = await client.openPointInTime({ index: "logstash-*", keep_alive: "1m" });
    const both = await raw(sim, "POST", "/logstash-*/_search", { pit: { id: pit.id } });
    expect(both.status).toBe(400);
    expect(both.json.error.type).toBe("action_request_validation_exception");
    expect(both.json.error.reason).toContain("[indices] cannot be used with point in time");
    clock += 61_000;
    const expired = await rejection(client.search({ pit: { id: pit.id }, size: 1 }));
    expect(expired.statusCode).toBe(404);
    expect(expired.body.error.root_cause[0].type).toBe("search_context_missing_exception");
    const closeAgain = await raw(sim, "DELETE", "/_pit", { id: pit.id });
    expect(closeAgain.status).toBe(404);
    expect(closeAgain.json).toEqual({ succeeded: true, num_freed: 0 });
  });

  it("stops deep paging at the 10,000 result window", async () => {
    const error = await rejection(client.search({ index: "logstash-*", from: 9995, size: 10 }));
    expect(error.statusCode).toBe(400);
    expect(error.body.error.type).toBe("search_phase_execution_exception");
    expect(error.body.error.root_cause[0]).toMatchObject({ type: "illegal_argument_exception" });
    expect(error.body.error.root_cause[0].reason).toMatch(
      /^Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[10005\]/,
    );
    const mismatch = await rejection(client.search({ index: "logstash-*", sort: SORT.slice(0, 1), search_after: [1, 2] }));
    expect(mismatch.body.error.reason).toBe("search_after has 2 value(s) but sort has 1.");
    const noPit = await rejection(client.search({ index: "logstash-*", sort: SORT }));
    expect(noPit.body.error.reason).toContain("[_shard_doc] sort field cannot be used without [point in time]");
  });

  it("answers index_not_found unless told to ignore missing indices", async () => {
    const missing = await rejection(client.search({ index: "application-2026.12.05" }));
    expect(missing.statusCode).toBe(404);
    expect(missing.body.error).toMatchObject({
      type: "index_not_found_exception",
      reason: "no such index [application-2026.12.05]",
      index: "application-2026.12.05",
    });
    const ignored = await client.search({ index: "application-2026.12.05,logstash-2026.12.05", ignore_unavailable: true, size: 0 });
    expect(ignored._shards.total).toBe(1);
    const wildcard = await client.search({ index: "application-*", size: 0 });
    expect(wildcard.hits.total).toEqual({ value: 0, relation: "eq" });
    const strict = await rejection(client.search({ index: "application-*", allow_no_indices: false }));
    expect(strict.body.error.reason).toBe("no such index [application-*]");
  });

  it("pages by from/size, filters _source and counts hits up to track_total_hits", async () => {
    const page = await client.search({
      index: "logstash-*",
      from: 2,
      size: 2,
      sort: [{ "@timestamp": { order: "asc", format: "strict_date_optional_time_nanos" } }],
      _source: ["log", "kubernetes.pod_name"],
      track_total_hits: 5,
    });
    expect(page.hits.total).toEqual({ value: 5, relation: "gte" });
    expect(page.hits.hits[0]!._source).toEqual({ log: "line 2\n", kubernetes: { pod_name: "web-7d9c6b5f4-x2k4q" } });
    expect(page.hits.hits[0]!.sort).toEqual(["2026-12-04T23:59:49.000Z"]);
  });
});
