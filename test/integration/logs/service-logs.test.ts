import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogs, type LogLine } from "../../../server/logs";
import type { EsFlavour } from "../../../server/demo/es-sim";
import { CARD_API, NOW, startStory } from "./log-story";

const clock = { now: () => NOW + 5_000 };
const range = { from: NOW - 3_600_000, to: NOW };

describe.each(["elasticsearch8", "elasticsearch9", "opensearch2"] as EsFlavour[])("service logs through the %s client", (flavour) => {
  let story: Awaited<ReturnType<typeof startStory>>;
  beforeAll(async () => {
    story = await startStory(flavour);
  });
  afterAll(async () => story?.stop());

  it("pages newest first through a point in time, without gaps or repeats, and only the service's own lines", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock });
    const seen: LogLine[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, limit: 70, cursor });
      expect(page.errors).toEqual([]);
      seen.push(...page.lines);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(300);
    expect(new Set(seen.map((l) => l.id)).size).toBe(300);
    const times = seen.map((l) => Date.parse(l.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.every((l) => l.pod.startsWith("card-api-6d8f7c9b5-") && !l.message.includes("SECRET"))).toBe(true);
    expect(seen[0]!.message).toContain("line-299");
    expect(seen[0]!.timestamp).toMatch(/^2026-11-22T11:59:59\.000\d{6}Z$/);
    const json = seen.find((l) => l.message.startsWith("{"))!;
    expect(json.level).toBe("warn");
    expect(json.fields).toMatchObject({ level: "warn", stream: "stdout" });
    const searches = story.sim.requests().filter((r) => r.path.endsWith("_search"));
    expect(searches.length).toBeGreaterThan(0);
    // Every page searched through the point in time, never with a deep `from`; the last page freed it (without waiting).
    await expect.poll(() => story.sim.openPointsInTime()).toBe(0);
  });

  it("filters by pod, level and free text, and shows the context of a line within its pod", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock });
    const errors = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, level: "error" });
    expect(errors.errors).toEqual([]);
    expect(errors.lines.map((l) => l.message.match(/order (\d+)/)?.[1])).toEqual(["257", "207", "157", "107", "57", "7"]);
    expect(errors.lines.every((l) => l.level === "error")).toBe(true);
    const text = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, q: '"payment declined" card_expired -"order 7:"' });
    expect(text.lines.length).toBe(5);
    const onePod = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, pod: "card-api-6d8f7c9b5-p9m2z", limit: 1000 });
    expect(onePod.lines).toHaveLength(150);
    const anchor = errors.lines[2]!;
    const context = await logs.lineContext({ service: CARD_API, environment: "staging", id: anchor.id, size: 3 });
    expect(context.errors).toEqual([]);
    expect(context.lines).toHaveLength(7);
    expect(context.lines[3]!.id).toBe(anchor.id);
    expect(new Set(context.lines.map((l) => l.pod))).toEqual(new Set([anchor.pod]));
    const numbers = context.lines.map((l) => Number(/(?:line-|order |query )(\d+)/.exec(l.message)?.[1]));
    expect(numbers).toEqual([151, 153, 155, 157, 159, 161, 163]);
  });

  it("counts error lines per minute with the store's date_histogram, and narrows to a release's image", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock });
    const rate = await logs.errorRate({ service: CARD_API, environment: "staging", from: NOW - 600_000, to: NOW });
    expect(rate.errors).toEqual([]);
    expect(rate.intervalMs).toBe(60_000);
    // Errors at 11:55:07, 11:55:57, 11:56:47, 11:57:37, 11:58:27, 11:59:17; every minute of the range is a point.
    const perMinute = Object.fromEntries(rate.points.map(([t, v]) => [new Date(t).toISOString().slice(11, 16), v]));
    expect(perMinute).toMatchObject({ "11:50": 0, "11:54": 0, "11:55": 2, "11:56": 1, "11:57": 1, "11:58": 1, "11:59": 1, "12:00": 0 });
    expect(rate.points).toHaveLength(11);
    // A day is 1,440 points at most: two days count two minutes per point, still per minute.
    const long = await logs.errorRate({ service: CARD_API, environment: "staging", from: NOW - 2 * 86_400_000, to: NOW });
    expect(long.intervalMs).toBe(120_000);
    expect(long.points.reduce((sum, [, v]) => sum + v * 2, 0)).toBe(6);
    const none = await logs.errorRate({ service: CARD_API, environment: "production", from: NOW - 600_000, to: NOW });
    expect(none).toMatchObject({ points: [], errors: [{ code: "not_configured" }] });

    const release = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, images: ["registry.example/card-api:1.2.3"], limit: 1000 });
    expect(release.lines).toHaveLength(300);
    const other = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, images: ["registry.example/card-api:9.9.9"] });
    expect(other.lines).toEqual([]);
    const newPodErrors = await logs.errorRate({
      service: CARD_API,
      environment: "staging",
      from: NOW - 600_000,
      to: NOW,
      images: ["registry.example/card-api:9.9.9"],
    });
    expect(newPodErrors.points.every(([, v]) => v === 0)).toBe(true);
  });

  it("refuses a line id of another service, and a cursor of another query", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock });
    const other = await logs.serviceLogs({ service: { namespace: "secrets", label: "card-api" }, environment: "staging", ...range });
    expect(other.lines.length).toBe(50);
    await expect(logs.lineContext({ service: CARD_API, environment: "staging", id: other.lines[0]!.id })).rejects.toMatchObject({ status: 404 });
    const first = await logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, limit: 10 });
    const foreign = logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, q: "other", cursor: first.nextCursor! });
    await expect(foreign).rejects.toMatchObject({ status: 422 });
    await expect(logs.serviceLogs({ service: CARD_API, environment: "staging", ...range, cursor: "not-a-cursor!" })).rejects.toMatchObject({ status: 422 });
  });

  it("exports the current view as NDJSON, streamed, up to the cap with a trailer", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock, exportCap: 120 });
    const chunks: string[] = [];
    for await (const chunk of logs.exportNdjson({ service: CARD_API, environment: "staging", ...range })) chunks.push(chunk);
    const rows = chunks
      .join("")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(121);
    expect(rows.at(-1)).toEqual({ _slipway: { truncated: true, cap: 120 } });
    expect(rows[0]).toMatchObject({ pod: expect.stringMatching(/^card-api-/), level: "info" });
    const all: string[] = [];
    const errorsOnly = createLogs({ sources: { staging: story.source }, clock }).exportNdjson({
      service: CARD_API,
      environment: "staging",
      ...range,
      level: "error",
    });
    for await (const chunk of errorsOnly) all.push(chunk);
    expect(all.join("").trimEnd().split("\n")).toHaveLength(6);
  });
});
