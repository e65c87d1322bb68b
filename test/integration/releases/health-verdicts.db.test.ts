import { beforeEach, describe, expect, it } from "vitest";
import { createDemoMetricsSources } from "../../../server/demo/demo-metrics";
import { seedDemo } from "../../../server/demo/seed";
import { createMetrics } from "../../../server/metrics";
import { getRollout, measureWithMetrics, recordHealthVerdicts, type MeasureHealth } from "../../../server/releases";
import { useTestDatabase } from "../../fixtures/database";

/** Every rollout that ended gets a before/after verdict, computed once and stored, shown in the Deploys history. */
describe("rollout health verdicts", () => {
  const db = useTestDatabase();
  beforeEach(async () => {
    await seedDemo(db.current().prisma, { history: false });
  });

  const rolloutOf = async (service: string, startedAt: Date, finishedAt: Date, state = "succeeded") => {
    const s = await db.current().prisma.service.findFirstOrThrow({ where: { name: service } });
    const version = `9.${startedAt.getTime() % 1000}.${Math.floor(Math.random() * 1000)}`;
    const release = await db
      .current()
      .prisma.release.create({ data: { serviceId: s.id, version, image: `registry.example/${service}:${version}`, commitSha: "abcdef1", registeredBy: "ci" } });
    return db.current().prisma.rollout.create({
      data: { serviceId: s.id, environment: "staging", releaseId: release.id, state, requestedByName: "ci", approvedAt: startedAt, startedAt, finishedAt },
    });
  };

  it("measures a settled rollout once, and waits for one that ended moments ago unless another followed it", async () => {
    const now = Date.now();
    const settled = await rolloutOf("card-api", new Date(now - 3 * 3_600_000), new Date(now - 2 * 3_600_000));
    const recent = await rolloutOf("email-sender", new Date(now - 10 * 60_000), new Date(now - 5 * 60_000));
    let calls = 0;
    const measure: MeasureHealth = async () => {
      calls++;
      return { verdict: "degraded", summary: "error ratio 0.2% -> 4.1%" };
    };
    expect(await recordHealthVerdicts(db.current().prisma, measure)).toBe(1);
    expect(calls).toBe(1);
    expect((await getRollout(db.current().prisma, settled.id)).health).toEqual({ verdict: "degraded", summary: "error ratio 0.2% -> 4.1%" });
    expect((await getRollout(db.current().prisma, recent.id)).health).toBeNull();
    // Stored: never measured again.
    expect(await recordHealthVerdicts(db.current().prisma, measure)).toBe(0);
    expect(calls).toBe(1);
    // The next rollout of that service ends the after window early.
    await rolloutOf("email-sender", new Date(now - 2 * 60_000), new Date(now - 60_000));
    expect(await recordHealthVerdicts(db.current().prisma, measure)).toBe(1);
    expect((await getRollout(db.current().prisma, recent.id)).health?.summary).toBe("error ratio 0.2% -> 4.1%");
  });

  it("tells from the metrics that a crash-looping release made things worse", async () => {
    const now = Date.now();
    const startedAt = new Date(now - 3 * 3_600_000);
    const crashed = await rolloutOf("email-sender", startedAt, new Date(startedAt.getTime() + 60_000), "failed");
    const metrics = createMetrics({
      sources: createDemoMetricsSources({
        events: () => ({
          crashLoops: [{ namespace: "notifications", workload: "email-sender", startedAt: startedAt.getTime(), endedAt: now - 3_600_000 }],
          canaries: [],
        }),
      }),
    });
    expect(await recordHealthVerdicts(db.current().prisma, measureWithMetrics(metrics))).toBeGreaterThanOrEqual(1);
    const health = (await getRollout(db.current().prisma, crashed.id)).health;
    expect(health?.verdict).toBe("degraded");
    expect(health?.summary).toMatch(/error ratio .*% -> .*%/);
  });
});
