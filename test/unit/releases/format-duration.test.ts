import { describe, expect, it } from "vitest";
import { formatDuration } from "../../../components/ui/time-format";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("formatDuration (rollout durations, checkpoint expiry)", () => {
  it.each([
    [0, "0s"],
    [999, "0s"],
    [45 * s, "45s"],
    [59 * s + 600, "59s"],
    [m, "1m"],
    [2 * m + 14 * s, "2m 14s"],
    [59 * m + 59 * s + 600, "59m 59s"],
    [h, "1h"],
    [h + 3 * m, "1h 3m"],
    [23 * h + 59 * m + 40 * s, "23h 59m"],
    [d, "1d"],
    [47 * h + 59 * m, "1d 23h"],
    [47 * h + 59 * m + 59 * s, "1d 23h"],
    [48 * h, "2d"],
    [71 * h + 59 * m, "2d 23h"],
    [72 * h, "3d"],
    [3 * d + 4 * h + 30 * m, "3d 4h"],
    [-5 * s, "0s"],
  ])("%i ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("never shows a second unit at its limit (no '60s', '60m', '24h')", () => {
    for (let ms = 0; ms < 4 * d; ms += 17 * s + 333) expect(formatDuration(ms)).not.toMatch(/ (60s|60m|24h)$/);
  });
});
