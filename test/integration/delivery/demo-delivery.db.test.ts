import { describe, expect, it } from "vitest";
import { seedDemo } from "../../../server/demo/seed";
import { getDeliveryFigures, getDeliveryRollouts } from "../../../server/delivery";
import { verifyAudit } from "../../../server/audit";
import { useTestDatabase } from "../../fixtures/database";

/** The demo's history gives every squad figures worth reading, and squads that ship differently read differently. */
describe("the demo's delivery figures", () => {
  const db = useTestDatabase();

  it("has failures, rollbacks and squads in different bands, and the history still verifies", async () => {
    const prisma = db.current().prisma;
    await seedDemo(prisma);
    const squads = ["cards", "platform", "payments-core", "identity", "accounts", "notifications"];
    const figures = Object.fromEntries(await Promise.all(squads.map(async (s) => [s, await getDeliveryFigures({ kind: "team", name: s }, 90)] as const)));
    // Cards ships many times a day and restores in minutes; Notifications a few times a month and takes days.
    expect(figures.cards!.deploymentFrequency.band).toBe("elite");
    // The squad page opens on 30 days: Cards is elite there too.
    expect((await getDeliveryFigures({ kind: "team", name: "cards" }, 30)).deploymentFrequency.band).toBe("elite");
    expect(figures.cards!.timeToRestore.band).toBe("elite");
    expect(figures.notifications!.deploymentFrequency.band).toBe("medium");
    expect(figures.notifications!.changeFailureRate.band).toBe("low");
    expect(new Set(squads.map((s) => figures[s]!.changeFailureRate.band)).size).toBeGreaterThanOrEqual(3);
    expect(figures.cards!.weeks.filter((w) => w.deploys > 0).length).toBeGreaterThanOrEqual(12);

    const failures = await getDeliveryRollouts({ kind: "team", name: "engineering" }, { days: 90, figure: "failures" });
    expect(new Set(failures.items.map((r) => r.state))).toEqual(new Set(["failed", "rolled_back"]));
    expect(failures.items.filter((r) => r.restoredBy).length).toBeGreaterThan(failures.items.length / 2);
    // Production still runs what the demo clusters run: the current release is the last success everywhere.
    const running = await prisma.rollout.findMany({
      where: { environment: "production", state: "succeeded" },
      orderBy: { finishedAt: "desc" },
      distinct: ["serviceId"],
      include: { release: true, service: true },
    });
    expect(running.every((r) => r.kind === "deploy" && r.reason === "Scheduled release")).toBe(true);
    expect((await verifyAudit(prisma)).ok).toBe(true);
  }, 120_000);
});
