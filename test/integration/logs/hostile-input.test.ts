import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogs, serviceFilters, DEFAULT_FIELDS, SIMPLE_QUERY_FLAGS } from "../../../server/logs";
import { CARD_API, NOW, startStory } from "./log-story";

/**
 * The search box is the only free text that reaches the store. Each input below tries to widen the search to
 * another namespace or service, or to break out of the query; against the simulator every one must stay text:
 * only card-api's own lines come back, whatever it matches.
 */

const HOSTILE = [
  "*:*",
  "*",
  "kubernetes.namespace_name:secrets",
  "kubernetes.namespace_name:* OR *",
  "kubernetes.labels.backstage_io/kubernetes-id:card-api-worker",
  '"}},{"match_all":{}}',
  '"}}]},"query":{"match_all":{}},"x":{"y":"',
  '{"query":{"match_all":{}}}',
  "SECRET-OTHER-NAMESPACE",
  "SECRET-WORKER",
  "SECRET*",
  "/.*SECRET.*/",
  "SECRET~2",
  "SECRE?-WORKER",
  "_index:logstash-* OR _id:*",
  "NOT nothing-matches-this",
  "line-1 | SECRET-OTHER-NAMESPACE | SECRET-WORKER",
  "(((((((((((((((((((((((((((((((",
  '\\"\\\\" OR \\*',
  "line-1\u0000 OR kubernetes.namespace_name:secrets",
  "\u202eSECRET\u202c \ud83d\udca5 名前空間:secrets",
  "x".repeat(512),
  `${"a OR ".repeat(100)}SECRET-WORKER`.slice(0, 512),
  "' OR 1=1 --",
  "${jndi:ldap://x}",
  "+card-api -card-api",
];

describe("hostile search text stays text", () => {
  let story: Awaited<ReturnType<typeof startStory>>;
  beforeAll(async () => {
    story = await startStory("elasticsearch8");
  });
  afterAll(async () => story?.stop());

  it.each(HOSTILE.map((q, i) => [i, q] as const))("input %i never widens the search beyond card-api in cards", async (_i, q) => {
    const logs = createLogs({ sources: { staging: story.source }, clock: { now: () => NOW } });
    const page = await logs.serviceLogs({ service: CARD_API, environment: "staging", from: NOW - 3_600_000, to: NOW, q, limit: 1000 });
    expect(page.errors).toEqual([]);
    for (const line of page.lines) {
      expect(line.pod).toMatch(/^card-api-6d8f7c9b5-/);
      expect(line.message).not.toContain("SECRET");
    }
    // Catch-alls match nothing: `*`, `*:*` and JSON fragments are searched as words, not as queries.
    if (["*:*", "*", '"}},{"match_all":{}}', '{"query":{"match_all":{}}}', "SECRET*"].includes(q)) expect(page.lines).toHaveLength(0);
  });

  it("refuses text over the cap instead of truncating it silently", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock: { now: () => NOW } });
    const tooLong = logs.serviceLogs({ service: CARD_API, environment: "staging", from: NOW - 60_000, to: NOW, q: "x".repeat(513) });
    await expect(tooLong).rejects.toMatchObject({ status: 422 });
  });

  it("puts user text only in simple_query_string on the message fields, with limited flags, inside bool.filter", () => {
    const q = 'kubernetes.namespace_name:secrets "}},{"match_all":{}}\u0000';
    const clauses = serviceFilters(DEFAULT_FIELDS, CARD_API, { from: 0, to: 1, q });
    expect(clauses.slice(0, 2)).toEqual([
      { term: { "kubernetes.namespace_name.keyword": "cards" } },
      { term: { "kubernetes.labels.backstage_io/kubernetes-id.keyword": "card-api" } },
    ]);
    const sqs = clauses.find((c) => "simple_query_string" in c)!.simple_query_string as Record<string, unknown>;
    expect(sqs).toMatchObject({ query: 'kubernetes.namespace_name:secrets "}},{"match_all":{}}', fields: ["log", "message"], flags: SIMPLE_QUERY_FLAGS });
    expect(JSON.stringify(clauses)).not.toMatch(/"query_string"/);
    expect(clauses.filter((c) => JSON.stringify(c).includes("secrets"))).toHaveLength(1);
  });

  it("rejects pod and container filters that are not Kubernetes names", async () => {
    const logs = createLogs({ sources: { staging: story.source }, clock: { now: () => NOW } });
    const base = { service: CARD_API, environment: "staging", from: NOW - 60_000, to: NOW };
    await expect(logs.serviceLogs({ ...base, pod: "*" })).rejects.toMatchObject({ status: 422 });
    await expect(logs.serviceLogs({ ...base, container: 'app"}}' })).rejects.toMatchObject({ status: 422 });
    await expect(logs.serviceLogs({ ...base, service: { namespace: "cards", label: "*" } })).rejects.toMatchObject({ status: 422 });
  });
});
