import { describe, expect, it } from "vitest";
import { detectLevel, levelFromText } from "../../../server/logs";

describe("level detection", () => {
  it.each([
    [{ level: "error" }, "", "error"],
    [{ level: "WARNING" }, "", "warn"],
    [{ severity: "CRITICAL" }, "", "fatal"],
    [{ level: 30 }, "", "info"],
    [{ level: 50 }, "", "error"],
    [{}, '{"level":"debug","msg":"x"}', "debug"],
    [{}, "2026-11-22T10:00:00.000Z ERROR [card-api] payment declined", "error"],
    [{}, "2026-11-22T10:00:00.000Z INFO  [card-api] GET /", "info"],
    [{}, "2026-11-22T10:00:00.000Z FATAL failed to connect to database", "fatal"],
    [{}, "[WARN] disk almost full", "warn"],
    [{}, "time=2026 level=error msg=boom", "error"],
    [{}, "E1122 10:00:00.000000       1 reflector.go:138] failed", "error"],
    [{}, "\tat com.example.Handler.handle(Handler.java:42)", "unknown"],
    [{}, "request failed with error code 7", "unknown"],
    [{}, "Error: connect ECONNREFUSED 10.96.12.7:5432", "unknown"],
  ] as const)("%j %s -> %s", (fields, message, level) => {
    expect(detectLevel(fields as Record<string, unknown>, ["level", "severity"], message)).toBe(level);
  });

  it("looks for the level word near the start only", () => {
    expect(levelFromText(`${"x".repeat(80)} ERROR late`)).toBeNull();
  });
});
