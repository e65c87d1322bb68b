import "server-only";
import { inFlightStates } from "../releases";
import type { Db } from "../shared/db";
import type { RolloutFigures } from "../shared/telemetry";

const reported = ["awaiting_approval", ...inFlightStates];

/** In-flight rollouts by state and the oldest approval still waiting to be applied: one grouped count, one lookup. */
export function rolloutFigures(db: Db): () => Promise<RolloutFigures> {
  return async () => {
    const [groups, oldest] = await Promise.all([
      db.rollout.groupBy({ by: ["state"], where: { state: { in: reported } }, _count: { _all: true } }),
      db.rollout.findFirst({ where: { state: "approved" }, orderBy: { approvedAt: "asc" }, select: { approvedAt: true, updatedAt: true } }),
    ]);
    const inFlight = Object.fromEntries(reported.map((state) => [state, 0]));
    for (const g of groups) inFlight[g.state] = g._count._all;
    return { inFlight, oldestApprovedAt: oldest ? (oldest.approvedAt ?? oldest.updatedAt) : null };
  };
}
