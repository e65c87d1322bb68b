import type { BadgeTone } from "@/components/ui/badge";
import type { RolloutState, RolloutView } from "./types";

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
