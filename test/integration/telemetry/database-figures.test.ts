import { afterEach, describe, expect, it } from "vitest";
import { seedDemo } from "../../../server/demo/seed";
import { telemetry } from "../../../server/shared/telemetry";
import { startTelemetry } from "../../../server/telemetry";
import { useTestDatabase } from "../../fixtures/database";

/** The figures /metrics reads from Postgres on each scrape: the connection pool, rollouts in flight, reconciler lag. */
describe("database figures on /metrics", () => {
  const db = useTestDatabase();
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
  });

  const scrape = async () => {
    const text = await telemetry().registry.metrics();
    return (line: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${line} `))
          ?.split(" ")[1] ?? Number.NaN,
      );
  };

  it("reports the Postgres pool, rollouts by state and how long an approved rollout has waited", async () => {
    const prisma = db.current().prisma;
    await seedDemo(prisma, { history: false });
    const runtime = await startTelemetry({ db: prisma, root: process.cwd(), distDir: ".next", host: "127.0.0.1", embedded: true, env: {} });
    stop = runtime.stop;
    expect(runtime.metrics).toBeNull();

    const service = await prisma.service.findFirstOrThrow({ where: { name: "card-api" } });
    const release = await prisma.release.create({
      data: { serviceId: service.id, version: "9.9.9", image: "registry.example/card-api:9.9.9", commitSha: "a".repeat(40), registeredBy: "test" },
    });
    const waiting = { serviceId: service.id, releaseId: release.id, requestedByName: "test" };
    await prisma.rollout.create({ data: { ...waiting, environment: "production", state: "approved", approvedAt: new Date(Date.now() - 90_000) } });
    await prisma.rollout.create({ data: { ...waiting, environment: "staging", state: "progressing" } });

    const value = await scrape();
    expect(value('slipway_rollouts_in_flight{state="approved"}')).toBe(1);
    expect(value('slipway_rollouts_in_flight{state="progressing"}')).toBe(1);
    expect(value('slipway_rollouts_in_flight{state="applying"}')).toBe(0);
    expect(value("slipway_reconciler_lag_seconds")).toBeGreaterThanOrEqual(90);
    expect(value("slipway_reconciler_lag_seconds")).toBeLessThan(600);
    if (db.current().kind === "postgres") {
      expect(value("slipway_db_pool_max_connections")).toBe(10);
      expect(value("slipway_db_pool_connections")).toBeGreaterThan(0);
      expect(value("slipway_db_pool_waiting_requests")).toBe(0);
    }
  });
});
