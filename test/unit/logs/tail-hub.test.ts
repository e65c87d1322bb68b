import { describe, expect, it } from "vitest";
import { createLogs, type LogSource, type TailBatch } from "../../../server/logs";
import { DEFAULT_FIELDS } from "../../../server/logs";
import type { SearchResponse } from "../../../server/logs/es-schemas";

/** A counting fake store: every search answers the documents stamped after the query's lower bound. */
function countingSource(documents: Array<{ id: string; at: number; line: string }>): LogSource & { searches: number } {
  const source = {
    name: "fake",
    flavour: "elasticsearch8" as const,
    fields: DEFAULT_FIELDS,
    tieBreaker: "_shard_doc" as const,
    searches: 0,
    openPointInTime: () => Promise.resolve("pit"),
    closePointInTime: () => Promise.resolve(),
    search: ({ body }: { body: Record<string, unknown> }): Promise<SearchResponse> => {
      source.searches++;
      const filters = (body.query as { bool: { filter: Array<Record<string, { "@timestamp"?: { gte: number } }>> } }).bool.filter;
      const gte = filters.find((f) => f.range)!.range!["@timestamp"]!.gte;
      const hits = documents
        .filter((d) => d.at >= gte)
        .sort((a, b) => b.at - a.at)
        .map((d) => ({ _index: "logstash-2026.11.22", _id: d.id, _source: { "@timestamp": new Date(d.at).toISOString(), log: d.line }, sort: [d.at, 0] }));
      return Promise.resolve({ took: 1, timed_out: false, hits: { hits } });
    },
  };
  return source;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the tail hub", () => {
  it("makes one poll per interval for 100 subscribers of one query, and one per distinct query", async () => {
    const now = Date.now();
    const docs = [{ id: "a", at: now - 1000, line: "hello" }];
    const source = countingSource(docs);
    const logs = createLogs({ sources: { staging: source }, tail: { intervalMs: 100 } });
    const received: TailBatch[][] = Array.from({ length: 100 }, () => []);
    const query = { service: { namespace: "cards", label: "card-api" }, environment: "staging" };
    const subs = received.map((list) => logs.tail(query, { onLines: (b) => list.push(b), onError: () => undefined }));
    const other = logs.tail({ ...query, q: "other" }, { onLines: () => undefined, onError: () => undefined });
    await sleep(30);
    docs.push({ id: "b", at: Date.now(), line: "world" });
    await sleep(520);
    const { polls, topics } = logs.tailStats();
    expect(topics).toBe(2);
    expect(source.searches).toBe(polls);
    // About 6 intervals for 2 topics: 10 to 14 polls, never 100 per interval.
    expect(polls).toBeGreaterThanOrEqual(8);
    expect(polls).toBeLessThanOrEqual(14);
    for (const list of received) expect(list.flatMap((b) => b.lines.map((l) => l.message))).toEqual(["hello", "world"]);
    for (const s of subs) s.unsubscribe();
    other.unsubscribe();
    expect(logs.tailStats().topics).toBe(0);
    logs.stop();
  });
});
