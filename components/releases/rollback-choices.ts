import type { ReleaseView, RolloutView } from "./types";

/**
 * The releases a rollback in one environment can return to: those that ran there successfully (a succeeded rollout,
 * or one rolled back later without having failed), newest first, each once. `history` is that environment's
 * rollouts, newest first. The server refuses a rollback to anything else, so the dialog offers nothing else.
 */
export function releasesThatRanWell(history: RolloutView[], except: string[] = []): ReleaseView[] {
  const seen = new Set(except);
  const releases: ReleaseView[] = [];
  for (const rollout of history) {
    const ranWell = rollout.state === "succeeded" || (rollout.state === "rolled_back" && rollout.failureReason === null && rollout.startedAt !== null);
    if (!ranWell || seen.has(rollout.release.version)) continue;
    seen.add(rollout.release.version);
    releases.push(rollout.release);
  }
  return releases;
}
