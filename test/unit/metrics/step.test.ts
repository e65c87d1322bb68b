import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PROMETHEUS_POINTS, planSteps } from "../../../server/metrics";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("step sizing like Grafana", () => {
  it("gives one point per pixel up to 1000, on nice steps aligned to the step", () => {
    const to = Date.UTC(2026, 10, 22, 15, 7, 31);
    expect(planSteps({ from: to - 60 * MINUTE, to, widthPx: 1200 })).toEqual({
      step: 15,
      start: Math.floor((to - 60 * MINUTE) / 15_000) * 15,
      end: Math.floor(to / 15_000) * 15,
      rateWindow: 60,
    });
    const week = planSteps({ from: to - 7 * DAY, to, widthPx: 800 });
    expect(week.step).toBe(900); // 604800 s / 800 px = 756 s, rounded up to 15 min
    expect(week.rateWindow).toBe(915);
    expect(planSteps({ from: to - 5 * MINUTE, to, widthPx: 300, scrapeIntervalSeconds: 30 }).rateWindow).toBe(120);
  });

  it("asks the same question on every refresh within a step (so the cache answers)", () => {
    const from = Date.UTC(2026, 10, 22, 12, 0, 0);
    const a = planSteps({ from, to: from + DAY, widthPx: 1000 });
    const b = planSteps({ from: from + 20_000, to: from + DAY + 20_000, widthPx: 1000 });
    expect(b).toEqual(a);
  });

  it("never asks Prometheus for more than 11,000 points, stays aligned and keeps rate windows at 4 scrapes or more", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5 * MINUTE, max: 30 * DAY }),
        fc.integer({ min: 300, max: 3000 }),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        fc.constantFrom(5, 10, 15, 30, 60),
        (range, widthPx, to, scrape) => {
          const plan = planSteps({ from: to - range, to, widthPx, scrapeIntervalSeconds: scrape });
          const points = (plan.end - plan.start) / plan.step + 1;
          expect(points).toBeLessThanOrEqual(MAX_PROMETHEUS_POINTS);
          expect(points).toBeLessThanOrEqual(Math.min(widthPx, 1000) + 2);
          expect(plan.start % plan.step).toBe(0);
          expect(plan.end % plan.step).toBe(0);
          expect(plan.end).toBeGreaterThan(plan.start);
          expect(plan.start * 1000).toBeLessThanOrEqual(to - range);
          expect(plan.step).toBeGreaterThanOrEqual(scrape);
          expect(plan.rateWindow).toBeGreaterThanOrEqual(4 * scrape);
          expect(plan.rateWindow).toBeGreaterThanOrEqual(plan.step + scrape);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
