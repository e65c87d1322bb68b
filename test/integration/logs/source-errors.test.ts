import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogs, ElasticsearchLogSource } from "../../../server/logs";
import { startEsSim } from "../../../server/demo/es-sim";
import { CARD_API, NOW, startStory } from "./log-story";

const input = { service: CARD_API, environment: "staging", from: NOW - 3_600_000, to: NOW };

describe("an erroring or unreachable log store degrades the logs only, with the reason", () => {
  let story: Awaited<ReturnType<typeof startStory>>;
  beforeAll(async () => {
    story = await startStory("elasticsearch8");
  });
  afterAll(async () => story?.stop());

  it.each([
    [429, "rate_limited"],
    [500, "unavailable"],
    [503, "unavailable"],
    [504, "timeout"],
  ] as const)("answers %i as %s", async (status, code) => {
    story.sim.setFailure({ status, times: 4 });
    const page = await createLogs({ sources: { staging: story.source } }).serviceLogs(input);
    story.sim.setFailure(null);
    expect(page.lines).toEqual([]);
    expect(page.errors).toEqual([expect.objectContaining({ code, source: "staging (elasticsearch8)" })]);
  });

  it("names a missing index (404 index_not_found_exception)", async () => {
    const source = new ElasticsearchLogSource({ environment: "staging", flavour: "elasticsearch8", url: story.sim.url, indexPattern: "no-such-index" });
    const page = await createLogs({ sources: { staging: source } }).serviceLogs(input);
    expect(page.errors).toEqual([expect.objectContaining({ code: "index_not_found", message: expect.stringContaining("no-such-index") })]);
    await source.stop();
  });

  it("says the server refused the client's version when the 9.x client meets Elasticsearch 8", async () => {
    const source = new ElasticsearchLogSource({ environment: "staging", flavour: "elasticsearch9", url: story.sim.url, indexPattern: "logstash-*" });
    const page = await createLogs({ sources: { staging: source } }).serviceLogs(input);
    expect(page.errors).toEqual([expect.objectContaining({ code: "incompatible_server" })]);
    await source.stop();
  });

  it("says an Elasticsearch client met OpenSearch", async () => {
    const os = await startEsSim({ flavour: "opensearch2" });
    const source = new ElasticsearchLogSource({ environment: "staging", flavour: "elasticsearch8", url: os.url, indexPattern: "logstash-*" });
    const page = await createLogs({ sources: { staging: source } }).serviceLogs(input);
    expect(page.errors).toEqual([expect.objectContaining({ code: "incompatible_server" })]);
    await source.stop();
    await os.stop();
  });

  it("reports an unreachable store and a slow one within its timeout", async () => {
    const base = { environment: "staging", flavour: "elasticsearch8", indexPattern: "logstash-*" } as const;
    const dead = new ElasticsearchLogSource({ ...base, url: "http://127.0.0.1:9", timeoutMs: 1000 });
    const page = await createLogs({ sources: { staging: dead } }).serviceLogs(input);
    expect(page.errors).toEqual([expect.objectContaining({ code: "unreachable" })]);
    await dead.stop();
    const slow = new ElasticsearchLogSource({ ...base, url: story.sim.url, timeoutMs: 300 });
    story.sim.setDelay(1500);
    const started = Date.now();
    const late = await createLogs({ sources: { staging: slow } }).serviceLogs(input);
    story.sim.setDelay(0);
    expect(late.errors).toEqual([expect.objectContaining({ code: "timeout" })]);
    expect(Date.now() - started).toBeLessThan(1400);
    await slow.stop();
  });

  it("says how to configure an environment without a store", async () => {
    const page = await createLogs({ sources: {} }).serviceLogs(input);
    expect(page.errors).toEqual([expect.objectContaining({ code: "not_configured", message: expect.stringContaining("logs.sources") })]);
  });

  it("continues paging on a new point in time when the cursor's one expired", async () => {
    const logs = createLogs({ sources: { staging: story.source } });
    const first = await logs.serviceLogs({ ...input, limit: 100 });
    const pit = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString()) as { p: string };
    await story.source.closePointInTime(pit.p);
    const second = await logs.serviceLogs({ ...input, limit: 100, cursor: first.nextCursor! });
    expect(second.errors).toEqual([]);
    expect(second.lines).toHaveLength(100);
    expect(Date.parse(second.lines[0]!.timestamp)).toBeLessThan(Date.parse(first.lines.at(-1)!.timestamp));
  });
});
