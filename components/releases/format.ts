import type { BadgeTone } from "@/components/ui/badge";
import type { RolloutState, RolloutView } from "./types";

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * "45s", "2m 14s", "1h 3m", "3d 4h": two units at most, enough to compare rollouts at a glance. Both units are
 * truncated, never rounded up, so the second one stays below its limit (47h59m is "1d 23h", not "1d 24h").
 */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.floor(ms));
  const units: Array<[number, string]> = [
    [day, "d"],
    [hour, "h"],
    [minute, "m"],
    [second, "s"],
  ];
  const first = units.findIndex(([size]) => abs >= size);
  if (first === -1 || first === units.length - 1) return `${Math.floor(abs / second)}s`;
  const [size, unit] = units[first]!;
  const [nextSize, nextUnit] = units[first + 1]!;
  const major = Math.floor(abs / size);
  const minor = Math.floor((abs % size) / nextSize);
  return minor ? `${major}${unit} ${minor}${nextUnit}` : `${major}${unit}`;
}

export function durationBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return new Date(to).getTime() - new Date(from).getTime();
}

const relative = new Intl.RelativeTimeFormat("en-GB", { numeric: "auto" });

/** "3 minutes ago", "in 2 days"; "just now" under a minute. */
export function formatRelative(iso: string, now: number): string {
  const diff = new Date(iso).getTime() - now;
  const abs = Math.abs(diff);
  if (abs < minute) return diff <= 0 ? "just now" : "in under a minute";
  if (abs < hour) return relative.format(Math.round(diff / minute), "minute");
  if (abs < day) return relative.format(Math.round(diff / hour), "hour");
  if (abs < 30 * day) return relative.format(Math.round(diff / day), "day");
  if (abs < 365 * day) return relative.format(Math.round(diff / (30 * day)), "month");
  return relative.format(Math.round(diff / (365 * day)), "year");
}

/** "12 Mar 2026, 14:05" in the viewer's zone, or in `timeZone` (the server renders UTC). */
export function formatDateTime(iso: string, timeZone?: string, seconds = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(iso));
}

export const shortSha = (sha: string) => sha.slice(0, 7);

export const stateLabel: Record<RolloutState, string> = {
  requested: "Requested",
  awaiting_approval: "Awaiting approval",
  approved: "Approved",
  applying: "Applying",
  progressing: "Progressing",
  succeeded: "Succeeded",
  failed: "Failed",
  rejected: "Rejected",
  cancelled: "Cancelled",
  expired: "Expired",
  superseded: "Superseded",
  rolled_back: "Rolled back",
};

export const stateTone: Record<RolloutState, BadgeTone> = {
  requested: "neutral",
  awaiting_approval: "amber",
  approved: "indigo",
  applying: "sky",
  progressing: "sky",
  succeeded: "green",
  failed: "red",
  rejected: "red",
  cancelled: "neutral",
  expired: "neutral",
  superseded: "neutral",
  rolled_back: "violet",
};

export const waitingStates: RolloutState[] = ["requested", "awaiting_approval"];
export const inFlightStates: RolloutState[] = ["approved", "applying", "progressing"];
export const finalStates: RolloutState[] = ["succeeded", "failed", "rejected", "cancelled", "expired", "superseded", "rolled_back"];
/** Final states in which nothing was ever changed in a cluster. */
export const untouchedStates: RolloutState[] = ["rejected", "cancelled", "expired"];
/** What the server accepts a rollback from. */
export const rollbackableStates: RolloutState[] = ["progressing", "succeeded", "failed"];
/** What the requester may still cancel: nothing has reached a cluster yet. */
export const cancellableStates: RolloutState[] = ["requested", "awaiting_approval", "approved"];

/** The checkpoint waiting for a decision, if any: the deploy gate, or a canary step's promotion. */
export function openCheckpoint(rollout: RolloutView) {
  return rollout.checkpoints.find((c) => c.state === "awaiting_approval") ?? null;
}

/** Who approved a rollout's deploy checkpoint (the people whose decision let it through). */
export function approversOf(rollout: RolloutView): string[] {
  const deploy = rollout.checkpoints.filter((c) => c.kind === "deploy");
  return [...new Set(deploy.flatMap((c) => c.approvals.filter((a) => a.decision === "approve").map((a) => a.person)))];
}

export function environmentTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Waiting reasons that mean a container cannot start: shown in red wherever they appear. */
export const stuckReasons = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "InvalidImageName",
  "OOMKilled",
  "Error",
]);
