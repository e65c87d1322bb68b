import { describe, expect, it } from "vitest";
import { ForbiddenError, hasStatus, toProblem } from "../../../server/shared/errors";
import { problemResponse } from "../../../server/shared/route";

/**
 * The custom server and the Next.js bundles each load their own copy of server/shared/errors.ts: an error thrown by
 * one copy's ForbiddenError is not an instance of the other's. It must still be a 403, not a 500.
 */
class ForbiddenFromAnotherCopy extends Error {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, Symbol.for("slipway.app-error"), { value: true });
  }
  readonly status = 403;
  readonly title = "Forbidden";
  readonly extensions = {};
  readonly headers = { "x-from": "the other copy" };
}

describe("typed errors across module copies", () => {
  it("maps an error from another copy of the module by its mark, with its status, message and headers", async () => {
    const error = new ForbiddenFromAnotherCopy('User "amara" cannot patch deployments.apps in the namespace "cards"');
    expect(error instanceof ForbiddenError).toBe(false);
    expect(hasStatus(error, 403)).toBe(true);
    expect(toProblem(error)).toMatchObject({ status: 403, title: "Forbidden", detail: 'User "amara" cannot patch deployments.apps in the namespace "cards"' });
    const response = problemResponse(error);
    expect(response.status).toBe(403);
    expect(response.headers.get("x-from")).toBe("the other copy");
  });

  it("keeps anything unmarked a 500 with an error id, never its message", () => {
    const problem = toProblem(Object.assign(new Error("connection string postgres://secret@db"), { status: 403, title: "Forbidden" }));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toMatch(/secret/);
    expect(problem.errorId).toEqual(expect.any(String));
  });
});
