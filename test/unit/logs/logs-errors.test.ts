import { describe, expect, it } from "vitest";
import { isLogsError, toLogsError } from "../../../server/logs";

const responseError = (statusCode: number, body: unknown) => Object.assign(new Error("ResponseError"), { name: "ResponseError", meta: { statusCode, body } });

describe("client errors become readable typed errors", () => {
  it.each([
    [
      responseError(400, { error: { type: "search_phase_execution_exception", root_cause: [{ type: "parsing_exception", reason: "[bool] malformed" }] } }),
      "bad_query",
      /parsing_exception: \[bool\] malformed/,
    ],
    [responseError(404, { error: { type: "index_not_found_exception", reason: "no such index [x]", index: "x" } }), "index_not_found", /no index x/],
    [responseError(404, { error: { type: "search_context_missing_exception", reason: "No search context found for id [1]" } }), "expired_cursor", /expired/],
    [responseError(401, { error: { type: "security_exception", reason: "missing authentication credentials" } }), "unauthorized", /credentials/],
    [responseError(429, { error: { type: "es_rejected_execution_exception", reason: "rejected" } }), "rate_limited", /overloaded/],
    [responseError(503, "upstream connect error"), "unavailable", /503/],
    [Object.assign(new Error("connect ECONNREFUSED"), { name: "ConnectionError" }), "unreachable", /cannot be reached/],
    [Object.assign(new Error("Request timed out"), { name: "TimeoutError" }), "timeout", /in time/],
    [Object.assign(new Error("not json"), { name: "DeserializationError" }), "invalid_response", /not JSON/],
  ] as const)("%#: %s", (error, code, message) => {
    const mapped = toLogsError(error, "staging (elasticsearch8)");
    expect(isLogsError(mapped)).toBe(true);
    expect(mapped.logsCode).toBe(code);
    expect(mapped.message).toMatch(message);
  });
});
