import { beforeEach, describe, expect, it } from "vitest";
import * as teamRoute from "../../../app/api/v1/teams/[name]/delivery/route";
import * as serviceRoute from "../../../app/api/v1/services/[name]/delivery/route";
import * as releasesRoute from "../../../app/api/v1/services/[name]/releases/route";
import { getDeliveryFigures, getDeliveryRollouts } from "../../../server/delivery";
import { call, sessionFor, tokenFor } from "../../fixtures/api";
import { useTestDatabase } from "../../fixtures/database";

const at = (iso: string) => new Date(iso);
const hour = 3_600_000;
const now = at("2026-12-06T12:00:00Z");

/**
 * A hand-computed example. Payments (a tribe) owns ledger; its squad Cards owns card-api. Production, inside the last
 * 30 days of 6 Dec 2026 12:00 UTC:
 *   card-api  A  committed 30 Nov 08:00, succeeded 30 Nov 10:00            lead 2 h
 *             B  committed 1 Dec 00:00, failed 1 Dec 12:00                 restored by the rollback C at 12:30: 30 min
 *             D  committed 2 Dec 00:00, started 05:50, ended 06:00, rolled back; the rollback E succeeds at 08:00:
 *                2 h 10 min from its start (a rolled-back change served from when it started)
 *             F  no commit time, registered 3 Dec 00:00, succeeded 4 Dec 00:00   lead 24 h (from registration)
 *   ledger    G  committed 10 Nov, succeeded 20 Nov                         lead 10 days
 *             H  failed 21 Nov, nothing has succeeded since                 not restored
 * Not counted: a deploy of 1 Oct (outside 30 days, inside 90: committed 30 Sep, lead 24 h), a failed staging rollout,
 * a cancelled production request, and the rollbacks C and E themselves (they restore; they are not changes).
 */
describe("delivery figures: DORA's four keys from the rollout history", () => {
  const db = useTestDatabase();
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    const prisma = db.current().prisma;
    const payments = await prisma.team.create({ data: { name: "payments", type: "tribe" } });
    const cards = await prisma.team.create({ data: { name: "cards", parentId: payments.id } });
    await prisma.team.create({ data: { name: "quiet" } });
    const cardApi = await prisma.service.create({ data: { name: "card-api", teamId: cards.id } });
    const ledger = await prisma.service.create({ data: { name: "ledger", teamId: payments.id } });
    const release = (serviceId: string, version: string, registered: string, committed: string | null) =>
      prisma.release.create({
        data: {
          serviceId,
          version,
          image: `r/x:${version}`,
          commitSha: "abcdef1",
          committedAt: committed ? at(committed) : null,
          registeredBy: "ci",
          createdAt: at(registered),
        },
      });
    const rollout = async (
      key: string,
      serviceId: string,
      releaseId: string,
      state: string,
      finished: string | null,
      extra: { environment?: string; kind?: string; started?: string } = {},
    ) => {
      const r = await prisma.rollout.create({
        data: {
          serviceId,
          releaseId,
          environment: extra.environment ?? "production",
          kind: extra.kind ?? "deploy",
          state,
          requestedByName: "someone",
          finishedAt: finished ? at(finished) : null,
          startedAt: extra.started ? at(extra.started) : null,
          ...(state === "failed" ? { failureReason: "New pods cannot start" } : {}),
        },
      });
      ids[key] = r.id;
    };
    const old = await release(cardApi.id, "0.9.0", "2026-09-30T06:00:00Z", "2026-09-30T00:00:00Z");
    const a = await release(cardApi.id, "1.0.0", "2026-11-30T08:30:00Z", "2026-11-30T08:00:00Z");
    const b = await release(cardApi.id, "1.1.0", "2026-12-01T01:00:00Z", "2026-12-01T00:00:00Z");
    const d = await release(cardApi.id, "1.2.0", "2026-12-02T01:00:00Z", "2026-12-02T00:00:00Z");
    const f = await release(cardApi.id, "1.3.0", "2026-12-03T00:00:00Z", null);
    await rollout("old", cardApi.id, old.id, "succeeded", "2026-10-01T00:00:00Z");
    await rollout("A", cardApi.id, a.id, "succeeded", "2026-11-30T10:00:00Z");
    await rollout("B", cardApi.id, b.id, "failed", "2026-12-01T12:00:00Z");
    await rollout("C", cardApi.id, a.id, "succeeded", "2026-12-01T12:30:00Z", { kind: "rollback" });
    await rollout("D", cardApi.id, d.id, "rolled_back", "2026-12-02T06:00:00Z", { started: "2026-12-02T05:50:00Z" });
    await rollout("E", cardApi.id, a.id, "succeeded", "2026-12-02T08:00:00Z", { kind: "rollback" });
    await rollout("F", cardApi.id, f.id, "succeeded", "2026-12-04T00:00:00Z");
    await rollout("staging", cardApi.id, f.id, "failed", "2026-12-03T01:00:00Z", { environment: "staging" });
    await rollout("cancelled", cardApi.id, f.id, "cancelled", "2026-12-03T02:00:00Z");
    const g = await release(ledger.id, "3.0.0", "2026-11-10T01:00:00Z", "2026-11-10T00:00:00Z");
    const h = await release(ledger.id, "3.1.0", "2026-11-20T12:00:00Z", "2026-11-20T11:00:00Z");
    await rollout("G", ledger.id, g.id, "succeeded", "2026-11-20T00:00:00Z");
    await rollout("H", ledger.id, h.id, "failed", "2026-11-21T00:00:00Z");
  });

  it("computes a squad's four keys and their bands exactly", async () => {
    const figures = await getDeliveryFigures({ kind: "team", name: "cards" }, 30, { now });
    expect(figures.scope).toEqual({ kind: "team", name: "cards", services: 1 });
    expect(figures.since).toBe("2026-11-06T12:00:00.000Z");
    expect(figures.productionEnvironments).toEqual(["production"]);
    // 4 deploys in 30 days: 0.93 a week, under once a week, at least once a month.
    expect(figures.deploymentFrequency).toEqual({ deploys: 4, perDay: 4 / 30, perWeek: (4 / 30) * 7, band: "medium" });
    // Median of 2 h and 24 h.
    expect(figures.leadTime).toEqual({ medianMs: 13 * hour, measured: 2, withoutCommitTime: 1, band: "elite" });
    expect(figures.changeFailureRate).toEqual({ failures: 2, deploys: 4, rate: 0.5, band: "low" });
    // Median of 30 min and 2 h 10 min.
    expect(figures.timeToRestore).toEqual({ medianMs: 80 * 60_000, restored: 2, unrestored: 0, band: "high" });
    expect(figures.weeks.map((w) => w.week)).toEqual([
      "2026-11-02T00:00:00.000Z",
      "2026-11-09T00:00:00.000Z",
      "2026-11-16T00:00:00.000Z",
      "2026-11-23T00:00:00.000Z",
      "2026-11-30T00:00:00.000Z",
    ]);
    expect(figures.weeks.at(-1)).toEqual({
      week: "2026-11-30T00:00:00.000Z",
      deploys: 4,
      failures: 2,
      leadTimeMedianMs: 13 * hour,
      restoreMedianMs: 80 * 60_000,
    });
    expect(figures.weeks[0]).toEqual({ week: "2026-11-02T00:00:00.000Z", deploys: 0, failures: 0, leadTimeMedianMs: null, restoreMedianMs: null });
  });

  it("counts a tribe together with its squads, and a failure with no success since as not restored", async () => {
    const figures = await getDeliveryFigures({ kind: "team", name: "payments" }, 30, { now });
    expect(figures.scope.services).toBe(2);
    expect(figures.deploymentFrequency).toMatchObject({ deploys: 6, perDay: 0.2, band: "high" });
    // Median of 2 h, 24 h and 240 h: exactly a day is no longer "under a day".
    expect(figures.leadTime).toEqual({ medianMs: 24 * hour, measured: 3, withoutCommitTime: 1, band: "high" });
    expect(figures.changeFailureRate).toEqual({ failures: 3, deploys: 6, rate: 0.5, band: "low" });
    expect(figures.timeToRestore).toEqual({ medianMs: 80 * 60_000, restored: 2, unrestored: 1, band: "high" });
    expect(figures.weeks.find((w) => w.week === "2026-11-16T00:00:00.000Z")).toEqual({
      week: "2026-11-16T00:00:00.000Z",
      deploys: 2,
      failures: 1,
      leadTimeMedianMs: 240 * hour,
      restoreMedianMs: null,
    });
  });

  it("widens to 90 days, and answers a service and a team without deploys", async () => {
    const ninety = await getDeliveryFigures({ kind: "service", name: "card-api" }, 90, { now });
    expect(ninety.deploymentFrequency.deploys).toBe(5);
    expect(ninety.leadTime.medianMs).toBe(24 * hour);
    expect(ninety.changeFailureRate.rate).toBe(0.4);
    // 7 Sep (a Monday) to the week of 30 Nov.
    expect(ninety.weeks).toHaveLength(13);

    const quiet = await getDeliveryFigures({ kind: "team", name: "quiet" }, 30, { now });
    expect(quiet.scope.services).toBe(0);
    expect(quiet.deploymentFrequency).toEqual({ deploys: 0, perDay: 0, perWeek: 0, band: null });
    expect([quiet.leadTime.band, quiet.changeFailureRate.rate, quiet.timeToRestore.medianMs]).toEqual([null, null, null]);
  });

  it("lists the rollouts behind each figure, and those of one week", async () => {
    const scope = { kind: "team", name: "cards" } as const;
    const failures = await getDeliveryRollouts(scope, { days: 30, figure: "failures" }, { now });
    expect(failures.items.map((r) => [r.id, r.state, r.restoredBy, r.restoreMs])).toEqual([
      [ids.D, "rolled_back", ids.E, 130 * 60_000],
      [ids.B, "failed", ids.C, 30 * 60_000],
    ]);
    expect(failures.items[1]!.failureReason).toBe("New pods cannot start");
    const lead = await getDeliveryRollouts(scope, { days: 30, figure: "lead-time" }, { now });
    expect(lead.items.map((r) => [r.version, r.leadTimeMs, r.committedAt])).toEqual([
      ["1.3.0", 24 * hour, null],
      ["1.0.0", 2 * hour, "2026-11-30T08:00:00.000Z"],
    ]);
    const all = await getDeliveryRollouts(scope, { days: 90, figure: "deploys" }, { now });
    expect(all.items.map((r) => r.id)).toEqual([ids.F, ids.D, ids.B, ids.A, ids.old]);
    const week = await getDeliveryRollouts({ kind: "team", name: "payments" }, { days: 30, figure: "restore", week: "2026-11-16" }, { now });
    expect(week.items.map((r) => [r.service, r.id, r.restoredBy])).toEqual([["ledger", ids.H, null]]);
    await expect(getDeliveryRollouts({ kind: "team", name: "nobody" }, { days: 30, figure: "deploys" }, { now })).rejects.toMatchObject({ status: 404 });
  });

  it("answers the API with the figures, and problem+json for a bad window or an unknown name", async () => {
    const prisma = db.current().prisma;
    await prisma.person.create({ data: { name: "vera.viewer", roles: ["viewer"] } });
    const vera = await sessionFor(db.current(), "vera.viewer");
    const team = await call(teamRoute.GET, { path: "/api/v1/teams/payments/delivery?days=90", caller: vera, params: { name: "payments" } });
    expect(team.status).toBe(200);
    expect(team.body).toEqual(
      JSON.parse(JSON.stringify({ ...(await getDeliveryFigures({ kind: "team", name: "payments" }, 90)), until: team.body.until, since: team.body.since })),
    );
    const service = await call(serviceRoute.GET, { path: "/api/v1/services/card-api/delivery", caller: vera, params: { name: "card-api" } });
    expect(service.status).toBe(200);
    expect(service.body).toMatchObject({ days: 30, scope: { kind: "service", name: "card-api", services: 1 } });

    const week = await call(teamRoute.GET, { path: "/api/v1/teams/payments/delivery?days=7", caller: vera, params: { name: "payments" } });
    expect(week.status).toBe(400);
    expect(week.headers.get("content-type")).toBe("application/problem+json");
    expect(week.body.detail).toContain("days is 30 or 90");
    const missing = await call(serviceRoute.GET, { path: "/api/v1/services/nope/delivery", caller: vera, params: { name: "nope" } });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('There is no service named "nope".');
    expect((await call(teamRoute.GET, { path: "/api/v1/teams/payments/delivery", params: { name: "payments" } })).status).toBe(401);
  });

  it("stores the commit time CI sends at registration, and refuses one that is not a date-time", async () => {
    await prisma().person.create({ data: { name: "cleo.ci", roles: ["engineer"] } });
    const ci = await tokenFor(db.current(), { team: "cards" }, ["releases:write"]);
    const register = (body: Record<string, unknown>) =>
      call(releasesRoute.POST, {
        method: "POST",
        path: "/api/v1/services/card-api/releases",
        caller: ci,
        params: { name: "card-api" },
        body: JSON.stringify({ image: "registry.example.com/cards/card-api:2.0.0", commitSha: "abcdef1234", ...body }),
      });
    const bad = await register({ version: "2.0.0", committedAt: "yesterday" });
    expect(bad.status).toBe(400);
    const good = await register({ version: "2.0.0", committedAt: "2026-12-05T09:30:00+01:00" });
    expect(good.status).toBe(201);
    expect(good.body.release.committedAt).toBe("2026-12-05T08:30:00.000Z");
    const stored = await prisma().release.findFirstOrThrow({ where: { version: "2.0.0" } });
    expect(stored.committedAt?.toISOString()).toBe("2026-12-05T08:30:00.000Z");
  });

  const prisma = () => db.current().prisma;
});
