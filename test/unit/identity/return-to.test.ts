import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeReturnTo } from "../../../server/identity/sign-in";

const site = "https://slipway.example";

/** Whatever a browser makes of `href` on one of Slipway's pages must be a page of Slipway, however often it is decoded. */
function staysOnSite(returned: string): boolean {
  if (!returned.startsWith("/") || returned.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(returned)) return false;
  let text = returned;
  for (let i = 0; i < 4; i++) {
    const url = new URL(text, site);
    if (url.origin !== site || url.pathname.startsWith("//")) return false;
    try {
      text = decodeURIComponent(url.pathname);
    } catch {
      return false;
    }
  }
  return true;
}

// Pieces attackers combine: slashes and backslashes, dot segments, their percent-encodings, schemes, hosts, controls.
const piece = fc.constantFrom(
  "/",
  "//",
  "\\",
  "/\\",
  ".",
  "..",
  "./",
  "../",
  "%2F",
  "%2f",
  "%5C",
  "%5c",
  "%2e",
  "%2E%2E",
  "%252F",
  "%25252F",
  "%09",
  "%0a",
  "%00",
  "\t",
  "\n",
  "\r",
  " ",
  "evil.example",
  "@",
  ":",
  "http:",
  "https:",
  "javascript:",
  "?",
  "#",
  "services",
  "card-api",
  "x",
  "%",
  "%E2%80%AE",
  "\u3002",
  "\uff0f",
  "\u2215",
);
const attempt = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
  fc.string({ maxLength: 60 }),
  fc.webUrl(),
);

describe("where sign-in sends a person back to", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeReturnTo("/services/card-api/deploys?env=production#history")).toBe("/services/card-api/deploys?env=production#history");
    expect(safeReturnTo("/")).toBe("/");
    expect(safeReturnTo("/teams?q=a%2Fb")).toBe("/teams?q=a%2Fb");
  });

  it("returns the normalised path it judged", () => {
    expect(safeReturnTo("/services/../teams/./cards")).toBe("/teams/cards");
  });

  it("never leaves the site, however the URL is disguised", () => {
    for (const evil of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "",
      null,
      undefined,
      `/${"a".repeat(600)}`,
      "/..//evil.example/x",
      "/.//evil.example",
      "/a/../..//evil.example",
      "/%2e%2e//evil.example",
      "/%2F%2Fevil.example",
      "/%2f/evil.example",
      "/%5Cevil.example",
      "/%5C%5Cevil.example",
      "/%252F%252Fevil.example",
      "/.%2F/evil.example",
      "/%09/evil.example",
      "///evil.example",
    ]) {
      expect(safeReturnTo(evil), String(evil)).toBe("/");
    }
  });

  it("answers only with paths that resolve to this site (property)", () => {
    fc.assert(
      fc.property(attempt, (value) => {
        const returned = safeReturnTo(value);
        expect(staysOnSite(returned), `${JSON.stringify(value)} -> ${JSON.stringify(returned)}`).toBe(true);
        // Judging the answer again changes nothing: what was checked is what is used.
        expect(safeReturnTo(returned)).toBe(returned);
      }),
      { numRuns: 5_000 },
    );
  });
});
