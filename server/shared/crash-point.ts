import "server-only";

/**
 * Fault injection for the crash-safety tests: when SLIPWAY_CRASH_AT names this point, the process kills itself
 * there, as a power cut would. Unset in normal operation.
 */
export function crashPoint(name: string): void {
  if (process.env.SLIPWAY_CRASH_AT === name) process.kill(process.pid, "SIGKILL");
}
