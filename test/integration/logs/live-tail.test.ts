import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogs, ElasticsearchLogSource, type LogLine, type TailBatch } from "../../../server/logs";
import { feedLines, startEsSim, type EsSim, type FluentdRecord } from "../../../server/demo/es-sim";
import { CARD_API } from "./log-story";

function record(line: string, time = Date.now(), labels = { "backstage.io/kubernetes-id": "card-api" }): FluentdRecord {
  return { namespace: "cards", pod: "card-api-6d8f7c9b5-x2k4q", container: "app", image: "registry.example/card-api:1.2.3", labels, time, line };
}

const searches = (sim: EsSim) => sim.requests().filter((r) => r.path.endsWith("/_search")).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(check: () => T | undefined, timeoutMs = 4000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error("timed out waiting");
    await sleep(10);
  }
}

describe("live tail", () => {
  let sim: EsSim;
  let source: ElasticsearchLogSource;
  beforeAll(async () => {
    sim = await startEsSim({ flavour: "elasticsearch8" });
    await feedLines(sim, [record("before anyone tailed", Date.now() - 60_000)], { refresh: "true" });
    source = new ElasticsearchLogSource({ environment: "staging", flavour: "elasticsearch8", url: sim.url, indexPattern: "logstash-*" });
  });
  afterAll(async () => {
    await source?.stop();
    await sim?.stop();
  });

  it("pushes a new line to the viewer within 2 s of it being searchable", async () => {
    const logs = createLogs({ sources: { staging: source } });
    const received: Array<{ line: LogLine; at: number }> = [];
    const sub = logs.tail(
      { service: CARD_API, environment: "staging" },
      { onLines: (b) => b.lines.forEach((line) => received.push({ line, at: Date.now() })), onError: () => undefined },
    );
    await sleep(300);
    const written = Date.now();
    await feedLines(sim, [record("fresh line one")], { refresh: "true" });
    const got = await waitFor(() => received.find((r) => r.line.message === "fresh line one"));
    expect(got.at - written).toBeLessThan(2000);
    expect(received.some((r) => r.line.message === "before anyone tailed")).toBe(false);
    sub.unsubscribe();
    logs.stop();
  });

  it("polls once per interval for 100 viewers of one query, and each viewer gets every line once", async () => {
    const logs = createLogs({ sources: { staging: source }, tail: { intervalMs: 500 } });
    const batches: TailBatch[][] = Array.from({ length: 100 }, () => []);
    const subs = batches.map((list) => logs.tail({ service: CARD_API, environment: "staging" }, { onLines: (b) => list.push(b), onError: () => undefined }));
    expect(logs.tailStats()).toMatchObject({ topics: 1, subscribers: 100 });
    await sleep(200);
    const before = searches(sim);
    const polls = logs.tailStats().polls;
    await feedLines(sim, [record("for a hundred viewers")], { refresh: "true" });
    await sleep(2600);
    const made = searches(sim) - before;
    expect(logs.tailStats().polls - polls).toBe(made);
    // 2.6 s at one poll per 500 ms: 5 or 6 polls, not 500.
    expect(made).toBeGreaterThanOrEqual(4);
    expect(made).toBeLessThanOrEqual(6);
    for (const list of batches) expect(list.flatMap((b) => b.lines).filter((l) => l.message === "for a hundred viewers")).toHaveLength(1);
    for (const s of subs) s.unsubscribe();
    expect(logs.tailStats()).toMatchObject({ topics: 0, subscribers: 0 });
    const after = searches(sim);
    await sleep(700);
    expect(searches(sim)).toBe(after);
    logs.stop();
  });

  it("keeps the position across a pause: resuming from it delivers what was written meanwhile", async () => {
    const logs = createLogs({ sources: { staging: source }, tail: { intervalMs: 200 } });
    const first: TailBatch[] = [];
    const sub = logs.tail({ service: CARD_API, environment: "staging", q: "pause" }, { onLines: (b) => first.push(b), onError: () => undefined });
    await feedLines(sim, [record("pause test before")], { refresh: "true" });
    await waitFor(() => (first.some((b) => b.lines.some((l) => l.message === "pause test before")) ? true : undefined));
    const position = first.at(-1)!.position;
    sub.unsubscribe();
    await feedLines(sim, [record("pause test during", Date.now()), record("unrelated line meanwhile")], { refresh: "true" });
    await sleep(100);
    const resumed: TailBatch[] = [];
    const again = logs.tail(
      { service: CARD_API, environment: "staging", q: "pause", since: position },
      { onLines: (b) => resumed.push(b), onError: () => undefined },
    );
    await waitFor(() => (resumed.some((b) => b.lines.some((l) => l.message === "pause test during")) ? true : undefined));
    await feedLines(sim, [record("pause test after")], { refresh: "true" });
    await waitFor(() => (resumed.some((b) => b.lines.some((l) => l.message === "pause test after")) ? true : undefined));
    const messages = resumed.flatMap((b) => b.lines.map((l) => l.message));
    expect(messages.filter((m) => m === "pause test during")).toHaveLength(1);
    expect(messages).not.toContain("unrelated line meanwhile");
    again.unsubscribe();
    logs.stop();
  });

  it("tells viewers when the store fails, and carries on when it recovers", async () => {
    const logs = createLogs({ sources: { staging: source }, tail: { intervalMs: 100, maxBackoffMs: 200 } });
    const errors: string[] = [];
    const lines: string[] = [];
    sim.setFailure({ status: 503, paths: [/_search$/], times: 2 });
    const sub = logs.tail(
      { service: CARD_API, environment: "staging", q: "recovered" },
      { onLines: (b) => lines.push(...b.lines.map((l) => l.message)), onError: (p) => errors.push(p.code) },
    );
    await waitFor(() => (errors.length > 0 ? true : undefined));
    await feedLines(sim, [record("recovered line")], { refresh: "true" });
    await waitFor(() => (lines.includes("recovered line") ? true : undefined));
    expect(errors[0]).toBe("unavailable");
    sub.unsubscribe();
    logs.stop();
  });
});
