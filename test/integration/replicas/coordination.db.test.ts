import { afterEach, describe, expect, it } from "vitest";
import { openChangeFeed, notifyChange, type Change, type ChangeFeed } from "../../../server/shared/change-feed";
import { acquireLease, releaseLease, startLeasedJob, type LeasedJob } from "../../../server/shared/lease";
import { seedDemo } from "../../../server/demo/seed";
import { useTestDatabase } from "../../fixtures/database";

const waitFor = async (what: () => boolean | Promise<boolean>, ms = 5_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out");
};

/**
 * The Postgres primitives replicas coordinate through, on the database kinds Slipway runs on: a lease held by one
 * holder at a time, and change notifications that reach every listener at commit.
 */
describe("replica coordination in Postgres", () => {
  const db = useTestDatabase();
  const jobs: LeasedJob[] = [];
  const feeds: ChangeFeed[] = [];
  afterEach(async () => {
    await Promise.all(jobs.splice(0).map((j) => j.stop()));
    await Promise.all(feeds.splice(0).map((f) => f.close()));
  });

  it("gives a lease to one holder until it expires or is released", async () => {
    const prisma = db.current().prisma;
    expect(await acquireLease(prisma, "job", 60_000, "replica-a")).toBe(true);
    expect(await acquireLease(prisma, "job", 60_000, "replica-b")).toBe(false);
    // The holder renews; the other still cannot take it.
    expect(await acquireLease(prisma, "job", 60_000, "replica-a")).toBe(true);
    expect(await acquireLease(prisma, "job", 60_000, "replica-b")).toBe(false);
    await releaseLease(prisma, "job", "replica-b"); // not b's to release
    expect(await acquireLease(prisma, "job", 60_000, "replica-b")).toBe(false);
    await releaseLease(prisma, "job", "replica-a");
    expect(await acquireLease(prisma, "job", 50, "replica-b")).toBe(true);
    // b stops renewing (a crash): once expired, a takes over.
    await new Promise((r) => setTimeout(r, 80));
    expect(await acquireLease(prisma, "job", 60_000, "replica-a")).toBe(true);
  });

  it("runs a leased job on one replica at a time and hands it over when that replica stops", async () => {
    const prisma = db.current().prisma;
    const passes = { a: 0, b: 0 };
    const a = startLeasedJob(prisma, { name: "reconcile", holder: "replica-a", intervalMs: 30, ttlMs: 60_000, run: async () => void passes.a++ });
    jobs.push(a);
    await waitFor(() => passes.a >= 1);
    const b = startLeasedJob(prisma, { name: "reconcile", holder: "replica-b", intervalMs: 30, ttlMs: 60_000, run: async () => void passes.b++ });
    jobs.push(b);
    await waitFor(() => passes.a >= 5);
    expect(passes.b).toBe(0);
    expect(b.holding()).toBe(false);
    await a.stop();
    // Released, not left to expire: b takes over at its next pass, far sooner than the 60 s ttl.
    await waitFor(() => passes.b >= 1, 2_000);
    expect(b.holding()).toBe(true);
  });

  it("tells every listener of a rollout's change at commit, with its service and environment", async () => {
    const database = db.current();
    await seedDemo(database.prisma, { history: false });
    const heard: Change[][] = [[], []];
    for (const list of heard) {
      const feed = openChangeFeed(database);
      feeds.push(feed);
      await feed.ready();
      feed.subscribe((c) => list.push(c));
    }
    const service = await database.prisma.service.findFirstOrThrow({ where: { kind: "component" } });
    const release = await database.prisma.release.create({
      data: { serviceId: service.id, version: "9.9.9", image: "registry.example/x:9.9.9", commitSha: "abc", registeredBy: "test" },
    });
    const rollout = await database.prisma.rollout.create({
      data: { serviceId: service.id, environment: "staging", releaseId: release.id, state: "approved", requestedByName: "test" },
    });
    await notifyChange(database.prisma, { topic: "reconcile" });
    for (const list of heard) {
      await waitFor(() => list.some((c) => c.topic === "reconcile"));
      expect(list).toContainEqual({ topic: "rollout", id: rollout.id, service: service.id, environment: "staging" });
    }
    // Nothing is told of a transaction that rolled back.
    await database.prisma
      .$transaction(async (tx) => {
        await tx.rollout.update({ where: { id: rollout.id }, data: { state: "applying" } });
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await database.prisma.checkpoint.create({
      data: { rolloutId: rollout.id, kind: "promote", stepIndex: 1, state: "awaiting_approval", approvalsRequired: 1 },
    });
    await waitFor(() => heard[0]!.filter((c) => c.topic === "rollout").length >= 2);
    expect(heard[0]!.filter((c) => c.topic === "rollout")).toEqual([
      { topic: "rollout", id: rollout.id, service: service.id, environment: "staging" },
      { topic: "rollout", id: rollout.id },
    ]);
  });
});
