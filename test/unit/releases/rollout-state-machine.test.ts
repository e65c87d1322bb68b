import { describe, expect, it } from "vitest";
import { approvalsRequired, type EnvironmentPolicy } from "../../../server/releases/environments";
import { canMove, IllegalTransitionError, moveRollout, rolloutTransitions, sourcesOf } from "../../../server/releases/rollout-state-machine";
import { rolloutStates, finalStates, type RolloutState } from "../../../server/releases/types";

/** An in-memory stand-in for the transaction: one rollout row, and the audit events written with it. */
function fakeTx(state: RolloutState) {
  const row = { state: state as string };
  const events: Array<{ action: string; details?: Record<string, unknown> }> = [];
  const tx = {
    rollout: {
      // Serves the state machine's own read; the notification snapshot (tested on Postgres) finds no row here.
      findUnique: async (args: { select?: Record<string, unknown> }) =>
        args.select && !("state" in args.select && Object.keys(args.select).length === 1) ? null : { state: row.state },
      updateMany: async ({ where, data }: { where: { state: string }; data: { state: string } }) => {
        if (where.state !== row.state) return { count: 0 };
        row.state = data.state;
        return { count: 1 };
      },
    },
  };
  const audit = Object.assign(
    async (e: { action: string; details?: Record<string, unknown> }) => {
      events.push(e);
      return "id";
    },
    { nothingChanged() {} },
  );
  return { tx: tx as never, audit: audit as never, row, events };
}

describe("the rollout state machine", () => {
  it("walks every pair of states: allowed moves change the state and write one event, others are refused", async () => {
    for (const from of rolloutStates) {
      for (const to of rolloutStates) {
        const { tx, audit, row, events } = fakeTx(from);
        if (canMove(from, to)) {
          expect(await moveRollout(tx, audit, { id: "r", from: [from], to })).toBe(true);
          expect(row.state).toBe(to);
          expect(events).toHaveLength(1);
          expect(events[0]!.details).toMatchObject({ before: { state: from }, after: { state: to } });
        } else {
          await expect(moveRollout(tx, audit, { id: "r", from: [from], to })).rejects.toBeInstanceOf(IllegalTransitionError);
          expect(row.state).toBe(from);
          expect(events).toHaveLength(0);
        }
      }
    }
  });

  it("does nothing, and records nothing, when someone else moved the rollout first", async () => {
    const { tx, audit, row, events } = fakeTx("approved");
    expect(await moveRollout(tx, audit, { id: "r", from: ["awaiting_approval"], to: "approved" })).toBe(false);
    expect(row.state).toBe("approved");
    expect(events).toHaveLength(0);
  });

  it("keeps final states final, except a finished rollout that is rolled back", () => {
    for (const state of finalStates) {
      const next = rolloutTransitions[state];
      expect(
        next.every((to) => to === "rolled_back"),
        state,
      ).toBe(true);
    }
    expect(sourcesOf("approved")).toEqual(["requested", "awaiting_approval"]);
    // Nothing reaches the cluster without passing "approved".
    expect(sourcesOf("applying")).toEqual(["approved", "applying"]);
  });
});

describe("approvals a checkpoint needs", () => {
  const production: EnvironmentPolicy = {
    name: "production",
    title: "Production",
    production: true,
    policy: "checkpoint",
    approvalsDefault: 1,
    approvalsByTier: { "1": 2 },
    autoRollback: false,
    checkpointTtlHours: 72,
  };
  it.each([
    [1, 2],
    [2, 1],
    [3, 1],
    [null, 1],
  ])("tier %s needs %i", (tier, needed) => {
    expect(approvalsRequired(production, tier)).toBe(needed);
  });
  it("an automatic environment needs none, and a checkpoint never fewer than one", () => {
    expect(approvalsRequired({ ...production, policy: "auto" }, 1)).toBe(0);
    expect(approvalsRequired({ ...production, approvalsDefault: 0, approvalsByTier: {} }, 3)).toBe(1);
  });
});
