import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { serviceQuerySchema, teamQuerySchema } from "../../../server/catalogue/types";
import { auditQuerySchema } from "../../../server/audit/types";
import { createTokenSchema } from "../../../server/identity/types";
import { rolloutQuerySchema } from "../../../server/releases/queries";
import { decisionSchema, freezeSchema, registerReleaseSchema, requestRolloutSchema, rollbackSchema } from "../../../server/releases/types";

/** Characters that break Postgres (NUL, lone surrogates) or ranges (digits, date syntax), mixed with any UTF-16 unit. */
const unit = fc.oneof(
  fc.constantFrom("\u0000", "\uD800", "\uDC00", "\u001F", "\n", " ", ",", "|", "-", ":", ".", "T", "Z", "+", "a", "0", "9"),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const text = fc.string({ unit, maxLength: 40 });
/** Text that may also look like the values a field expects, so parses succeed often enough to be checked. */
const value = (examples: string[]) =>
  fc.oneof(
    text,
    fc.constantFrom(...examples),
    fc.tuple(fc.constantFrom(...examples), text).map(([a, b]) => a + b),
  );

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What Postgres would refuse in a parse result: a string it cannot store, a number beyond its integer types. */
function storable(value: unknown): boolean {
  if (typeof value === "string") return !value.includes("\u0000") && !loneSurrogate.test(value);
  if (typeof value === "number") return Number.isSafeInteger(value) && Math.abs(value) < 2 ** 31;
  if (Array.isArray(value)) return value.every(storable);
  if (value && typeof value === "object") return Object.entries(value).every(([k, v]) => storable(k) && storable(v));
  return true;
}

const dates = ["2026-03-01T10:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "2026-02-28T23:00:00.000+01:00"];
const uuid = "3f1e2d4c-5b6a-4978-8e7d-6c5b4a392817";

const schemas: Array<{ name: string; schema: ZodType; fields: Record<string, fc.Arbitrary<unknown>>; check?: (out: any) => boolean }> = [
  {
    name: "service query",
    schema: serviceQuerySchema,
    fields: {
      q: text,
      team: value(["cards", "cards,payments"]),
      tier: value(["1", "none"]),
      lifecycle: value(["production"]),
      tag: value(["pci"]),
      cursor: text,
      limit: value(["5", "99999999999"]),
    },
  },
  { name: "team query", schema: teamQuerySchema, fields: { q: text, cursor: text, limit: value(["5", "1e26"]) } },
  {
    name: "audit query",
    schema: auditQuerySchema,
    fields: {
      actor: text,
      action: text,
      targetType: text,
      target: text,
      since: value(dates),
      until: value(dates),
      cursor: value(["12", "1e26", "99999999999999999999"]),
    },
    check: (out) =>
      (out.cursor === undefined || BigInt(out.cursor) < 2n ** 63n) &&
      [out.since, out.until].every((d) => d === undefined || (new Date(d).getUTCFullYear() >= 1 && new Date(d).getUTCFullYear() <= 9999)),
  },
  {
    name: "rollout query",
    schema: rolloutQuerySchema,
    fields: {
      service: text,
      environment: text,
      cursor: value([`2026-03-01T10:00:00.000Z|${uuid}`, `2026-13-45T10:00:00.000Z|${uuid}`, "0000-01-01T00:00:00Z|"]),
    },
    check: (out) => out.cursor === undefined || !Number.isNaN(new Date(out.cursor.split("|")[0]).getTime()),
  },
  { name: "token", schema: createTokenSchema, fields: { name: text, scopes: fc.constant(["read"]), team: text } },
  {
    name: "release",
    schema: registerReleaseSchema,
    fields: {
      version: value(["1.2.3"]),
      image: value(["registry.example.com/a/b:1"]),
      commitSha: value(["abcdef1"]),
      commitUrl: value(["https://git.example.com/c/"]),
      author: text,
      changelog: text,
    },
  },
  { name: "rollout request", schema: requestRolloutSchema, fields: { service: text, environment: text, version: value(["1.2.3"]), reason: text } },
  { name: "decision", schema: decisionSchema, fields: { comment: text } },
  { name: "rollback", schema: rollbackSchema, fields: { toVersion: value(["1.2.3"]), reason: text } },
  {
    name: "freeze",
    schema: freezeSchema,
    fields: { service: text, environment: text, reason: text, endsAt: value(dates) },
    check: (out) => new Date(out.endsAt).getUTCFullYear() >= 1 && new Date(out.endsAt).getUTCFullYear() <= 9999,
  },
];

describe("query and body schemas", () => {
  for (const { name, schema, fields, check } of schemas) {
    it(`never let through a ${name} that Postgres would refuse`, () => {
      fc.assert(
        fc.property(fc.record(fields, { requiredKeys: [] }), (input) => {
          const parsed = schema.safeParse(input);
          if (!parsed.success) return;
          expect(storable(parsed.data), JSON.stringify(parsed.data)).toBe(true);
          if (check) expect(check(parsed.data), JSON.stringify(parsed.data)).toBe(true);
        }),
        { numRuns: 200 },
      );
    });
  }

  it("refuse the inputs the issue reported, and still accept ordinary ones", () => {
    expect(serviceQuerySchema.safeParse({ q: "card\u0000" }).success).toBe(false);
    expect(serviceQuerySchema.safeParse({ lifecycle: "production\u0000" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ actor: "amara\u0000" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ cursor: "99999999999999999999999999" }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ since: "0000-01-01T00:00:00Z" }).success).toBe(false);
    expect(rolloutQuerySchema.safeParse({ cursor: `2026-13-45T99:99:99Z|${uuid}` }).success).toBe(false);
    expect(createTokenSchema.safeParse({ name: "ci \uD800", scopes: ["read"] }).success).toBe(false);

    expect(serviceQuerySchema.parse({ q: " card ", lifecycle: "production,experimental" })).toMatchObject({
      q: "card",
      lifecycle: ["production", "experimental"],
    });
    expect(auditQuerySchema.parse({ since: "2026-03-01T10:00:00+01:00", cursor: "9223372036854775807" })).toMatchObject({ cursor: "9223372036854775807" });
    expect(rolloutQuerySchema.parse({ cursor: `2026-03-01T10:00:00.000Z|${uuid}` }).cursor).toBeDefined();
    expect(createTokenSchema.parse({ name: " ci 🚀 ", scopes: ["read"] }).name).toBe("ci 🚀");
    expect(decisionSchema.parse({ comment: "looks good\nshipping" }).comment).toBe("looks good\nshipping");
  });
});
