import { describe, expect, it } from "vitest";
import { identityFromClaims } from "../../../server/identity/oidc";
import { signInErrorCode } from "../../../server/identity/sign-in-errors";

const claims = (extra: Record<string, unknown>) => ({ iss: "https://idp.example", sub: "u-1", aud: "slipway", iat: 0, exp: 0, ...extra });

/** The email in the ID token decides which catalogue person (with their squads and approvals) someone becomes. */
describe("who a single sign-on identity is", () => {
  it("links by an email the provider has verified", () => {
    const identity = identityFromClaims(claims({ email: "Tom.Hughes@harbourbank.example", email_verified: true, groups: ["engineering", 7] }), "groups");
    expect(identity).toEqual({ subject: "u-1", email: "tom.hughes@harbourbank.example", name: undefined, groups: ["engineering"] });
  });

  it("refuses an email the provider has not verified, with a message saying so", () => {
    for (const verified of [false, undefined, "true", 1]) {
      let refusal: unknown;
      try {
        identityFromClaims(claims({ email: "aisha.bello@harbourbank.example", email_verified: verified }), "groups");
      } catch (error) {
        refusal = error;
      }
      expect(refusal, String(verified)).toMatchObject({ status: 401, message: expect.stringMatching(/has not verified your email/) });
      expect(signInErrorCode(refusal)).toBe("email_unverified");
    }
  });

  it("refuses an identity without an email", () => {
    expect(() => identityFromClaims(claims({ email_verified: true }), "groups")).toThrow(/did not share an email address/);
  });
});
