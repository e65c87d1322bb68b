import { describe, expect, it } from "vitest";
import { safeReturnTo } from "../../../server/identity/sign-in";

describe("where sign-in sends a person back to", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeReturnTo("/services/card-api/deploys?env=production#history")).toBe("/services/card-api/deploys?env=production#history");
    expect(safeReturnTo("/")).toBe("/");
  });

  it("never leaves the site, however the URL is disguised", () => {
    for (const evil of ["https://evil.example/", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\\\\evil.example", "javascript:alert(1)", "", null, undefined, `/${"a".repeat(600)}`]) {
      expect(safeReturnTo(evil), String(evil)).toBe("/");
    }
  });
});
