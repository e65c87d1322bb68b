import type { RolloutState } from "@/server/cluster/contract";

export function shortDigest(digest: string | null): string | null {
  if (!digest) return null;
  const [algorithm, hex] = digest.split(":");
  return hex ? `${algorithm}:${hex.slice(0, 8)}` : digest.slice(0, 15);
}

export const stateTone: Record<RolloutState, { dot: string; text: string; label: string }> = {
  complete: { dot: "bg-emerald-500", text: "text-emerald-700 dark:text-emerald-300", label: "Rolled out" },
  progressing: { dot: "bg-sky-500 animate-pulse", text: "text-sky-700 dark:text-sky-300", label: "Progressing" },
  paused: { dot: "bg-amber-500", text: "text-amber-700 dark:text-amber-300", label: "Paused" },
  failed: { dot: "bg-red-500", text: "text-red-700 dark:text-red-300", label: "Failed" },
  waiting: { dot: "bg-zinc-400 animate-pulse", text: "text-zinc-600 dark:text-zinc-400", label: "Waiting" },
};

/** Pod statuses that mean trouble (kubectl's STATUS column). */
export function isTroubled(status: string): boolean {
  return /CrashLoopBackOff|Error|ImagePullBackOff|ErrImagePull|OOMKilled|CreateContainerConfigError|Unknown|Failed|ExitCode/.test(status);
}
