import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "@/server/demo/es-sim/analysis";
import { parseSimpleQueryString, resolveFlags, type SqsNode } from "@/server/demo/es-sim/simple-query-string";
import { parseDateMath, parseIsoDate } from "@/server/demo/es-sim/dates";

/** A readable form of the parse tree: "+a", "|b", "-c" clauses, leaves as kind:text. */
function show(node: SqsNode<string> | null): string {
  if (node === null) return "null";
  if (node.kind === "leaf") return node.query;
  if (node.kind === "all") return "*:*";
  const sign = { must: "+", should: "|", must_not: "-" } as const;
  return `(${node.clauses.map((c) => `${sign[c.occur]}${show(c.node)}`).join(" ")})`;
}

const factory = {
  term: (t: string) => (analyze(t).length > 0 ? `t:${t}` : null),
  phrase: (t: string, slop: number) => (analyze(t).length > 0 ? `p:${t}~${slop}` : null),
  prefix: (t: string) => `pre:${t}`,
  fuzzy: (t: string, d: number) => `f:${t}~${d}`,
};

describe("standard analyzer", () => {
  it("splits words as Lucene's StandardTokenizer does and lowercases them", () => {
    expect(analyze("GET /api/orders/42 -> 200 OK")).toEqual(["get", "api", "orders", "42", "200", "ok"]);
    expect(analyze("host db-1.internal at 10.0.0.12:5432")).toEqual(["host", "db", "1", "internal", "at", "10.0.0.12", "5432"]);
    expect(analyze("user@example.com can't connect_now")).toEqual(["user", "example.com", "can't", "connect_now"]);
    expect(analyze("level:error status:500 ___")).toEqual(["level:error", "status", "500"]);
    expect(analyze("日本語 Ünïcode")).toEqual(["日", "本", "語", "ünïcode"]);
  });
});

describe("simple_query_string parser", () => {
  const parse = (q: string, flags: number | string = -1, op: "and" | "or" = "or") =>
    show(parseSimpleQueryString(q, typeof flags === "string" ? resolveFlags(flags) : flags, op, factory));

  it("applies operators left to right, wrapping on a change of operator", () => {
    expect(parse("a b")).toBe("(|t:a |t:b)");
    expect(parse("a b", -1, "and")).toBe("(+t:a +t:b)");
    expect(parse("a | b + c")).toBe("(+(|t:a |t:b) +t:c)");
    expect(parse("-a")).toBe("(-t:a |*:*)");
    expect(parse('"a b"~2 c* d~1')).toBe("(|p:a b~2 |pre:c |f:d~1)");
    expect(parse("(a | b) + c")).toBe("(+(|t:a |t:b) +t:c)");
  });

  it("reads unbalanced quotes and brackets as text, and drops what analysis empties", () => {
    expect(parse('"a b')).toBe("(|t:a |t:b)");
    expect(parse("(a b")).toBe("(|t:a |t:b)");
    expect(parse("{ } : +")).toBe("null");
    expect(parse('{"level":"error"}')).toBe("(|p:level~0 |p:error~0)");
  });

  it("makes a disabled operator ordinary text", () => {
    expect(parse("a* -b", "AND|OR|PHRASE|WHITESPACE")).toBe("(|t:a* |t:-b)");
    expect(parse("a\\-b", "NOT|ESCAPE|WHITESPACE")).toBe("t:a-b");
    expect(() => resolveFlags("AND|BOGUS")).toThrow("Unknown simple_query_string flag [BOGUS]");
  });

  it("never throws, for any input and any flags", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: -1, max: 1023 }), fc.constantFrom("and" as const, "or" as const), (q, flags, op) => {
        parseSimpleQueryString(q, flags, op, factory);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("dates", () => {
  it("parses strict_date_optional_time with up to nine fractional digits and offsets", () => {
    expect(parseIsoDate("2026-12-05T00:00:00.123456789+00:00")).toBe(Date.UTC(2026, 11, 5, 0, 0, 0, 123));
    expect(parseIsoDate("2026-12-05T01:00:00+01:00")).toBe(Date.UTC(2026, 11, 5));
    expect(parseIsoDate("2026-12-05", true)).toBe(Date.UTC(2026, 11, 5, 23, 59, 59, 999));
    expect(parseIsoDate("2026-02-30")).toBeUndefined();
  });

  it("evaluates date math with rounding", () => {
    const now = Date.UTC(2026, 11, 5, 10, 17, 42);
    expect(parseDateMath("now-15m", ["strict_date_optional_time"], now, false)).toBe(now - 900_000);
    expect(parseDateMath("now/d", ["strict_date_optional_time"], now, false)).toBe(Date.UTC(2026, 11, 5));
    expect(parseDateMath("now/d", ["strict_date_optional_time"], now, true)).toBe(Date.UTC(2026, 11, 6) - 1);
    expect(parseDateMath("2026-12-05||+1M/M", ["strict_date_optional_time"], now, false)).toBe(Date.UTC(2027, 0, 1));
  });
});
