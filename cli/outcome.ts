/** What the exit code says, so a CI step can tell "the deploy failed" from "Slipway could not be asked". */
export const exitCodes = {
  ok: 0,
  error: 1,
  usage: 2,
  failed: 3,
  rolledBack: 4,
  rejected: 5,
  notApplied: 6,
  timedOut: 7,
} as const;

export const finalStates = ["succeeded", "failed", "rejected", "cancelled", "expired", "superseded", "rolled_back"] as const;

export function isFinal(state: string): boolean {
  return (finalStates as readonly string[]).includes(state);
}

/** The exit code of a rollout that has ended; a rollout still going counts as 0 (only --wait waits for its end). */
export function exitCodeForState(state: string): number {
  switch (state) {
    case "failed":
      return exitCodes.failed;
    case "rolled_back":
      return exitCodes.rolledBack;
    case "rejected":
      return exitCodes.rejected;
    case "cancelled":
    case "expired":
    case "superseded":
      return exitCodes.notApplied;
    default:
      return exitCodes.ok;
  }
}

/** Of several rollouts (a release's automatic ones), the code of the worst outcome: any failure beats success. */
export function worstExitCode(codes: number[]): number {
  const rank = (c: number) => (c === exitCodes.ok ? 0 : c === exitCodes.timedOut ? 1 : c === exitCodes.notApplied ? 2 : 3);
  return codes.reduce((worst, c) => (rank(c) > rank(worst) ? c : worst), exitCodes.ok as number);
}
