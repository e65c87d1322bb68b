import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FIELDS, SIMPLE_QUERY_FLAGS, searchBody, serviceFilters } from "../../../server/logs";
import { decodeCursor, encodeCursor, queryKey } from "../../../server/logs/cursor";

const scope = { namespace: "cards", label: "card-api" };

describe("the query builder", () => {
  it("keeps any text inside simple_query_string: scope terms never change, nothing else carries it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 512, unit: "binary" }), (q) => {
        const clauses = serviceFilters(DEFAULT_FIELDS, scope, { from: 0, to: 1000, q });
        expect(clauses[0]).toEqual({ term: { "kubernetes.namespace_name.keyword": "cards" } });
        expect(clauses[1]).toEqual({ term: { "kubernetes.labels.backstage_io/kubernetes-id.keyword": "card-api" } });
        const rest = clauses.slice(3);
        expect(rest.length).toBeLessThanOrEqual(1);
        for (const c of rest) {
          expect(Object.keys(c)).toEqual(["simple_query_string"]);
          const sqs = c.simple_query_string as Record<string, unknown>;
          expect(sqs.fields).toEqual(["log", "message"]);
          expect(sqs.flags).toBe(SIMPLE_QUERY_FLAGS);
          expect(String(sqs.query)).not.toMatch(/[\u0000-\u001f]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("filters by level on the structured fields, or on the level word where there is none", () => {
    const clauses = serviceFilters(DEFAULT_FIELDS, scope, { from: 0, to: 1, levels: ["error"] });
    const level = JSON.stringify(clauses[3]);
    expect(level).toContain('"level.keyword":["error","ERROR","Error"');
    expect(level).toContain('"must_not":[{"exists":{"field":"level"}},{"exists":{"field":"severity"}}]');
  });

  it("sorts newest first with the tie-breaker and never pages with from", () => {
    const body = searchBody({ fields: DEFAULT_FIELDS, tieBreaker: "_shard_doc" }, { filters: [], order: "desc", size: 200, searchAfter: [1, 2] }, true);
    expect(body).toMatchObject({ size: 200, sort: [{ "@timestamp": { order: "desc" } }, { _shard_doc: { order: "desc" } }], search_after: [1, 2] });
    expect(body).not.toHaveProperty("from");
  });

  it("refuses ranges over the cap and reversed ranges", () => {
    expect(() => serviceFilters(DEFAULT_FIELDS, scope, { from: 0, to: 32 * 86_400_000 })).toThrow(/31 days/);
    expect(() => serviceFilters(DEFAULT_FIELDS, scope, { from: 2, to: 1 })).toThrow(/after/);
  });
});

describe("the paging cursor", () => {
  it("round-trips, and refuses tampered, foreign or malformed cursors", () => {
    const key = queryKey(["a"]);
    const text = encodeCursor({ pit: "pit-1", after: [1700000000000, 42], key });
    expect(decodeCursor(text, key)).toEqual({ pit: "pit-1", after: [1700000000000, 42], key });
    expect(() => decodeCursor(text, queryKey(["b"]))).toThrow(/another query/);
    const forged = Buffer.from(JSON.stringify({ v: 1, p: "x", a: [{ match_all: {} }], k: key })).toString("base64url");
    expect(() => decodeCursor(forged, key)).toThrow(/not one Slipway issued/);
    expect(() => decodeCursor("%%%", key)).toThrow(/not one Slipway issued/);
    expect(() => decodeCursor(Buffer.from("not json").toString("base64url"), key)).toThrow(/not one Slipway issued/);
  });
});
