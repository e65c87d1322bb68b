import { describe, expect, it } from "vitest";
import { releasesThatRanWell } from "../../../components/releases/rollback-choices";
import type { RolloutView } from "../../../components/releases/types";

const rollout = (version: string, state: RolloutView["state"], extra: Partial<RolloutView> = {}) =>
  ({
    state,
    release: { version } as RolloutView["release"],
    failureReason: null,
    startedAt: "2026-12-01T10:00:00Z",
    ...extra,
  }) as RolloutView;

describe("what a rollback may return to", () => {
  it("offers the releases that ran well there, newest first, once each, never a failed one", () => {
    const history = [
      rollout("1.6.0", "failed", { failureReason: "New pods cannot start" }),
      rollout("1.5.0", "succeeded"),
      rollout("1.4.0", "rolled_back", { failureReason: "crash-looped" }),
      rollout("1.3.0", "rolled_back"),
      rollout("1.5.0", "succeeded"),
      rollout("1.2.0", "rolled_back", { startedAt: null }),
      rollout("1.1.0", "cancelled"),
      rollout("1.0.0", "succeeded"),
    ];
    expect(releasesThatRanWell(history).map((r) => r.version)).toEqual(["1.5.0", "1.3.0", "1.0.0"]);
    expect(releasesThatRanWell(history, ["1.5.0"]).map((r) => r.version)).toEqual(["1.3.0", "1.0.0"]);
  });
});
