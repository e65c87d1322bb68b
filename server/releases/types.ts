import "server-only";
import { z } from "zod";
import { isSafeText, safeDateTime, safeMultilineText, safeText } from "../shared/input";

export const rolloutStates = [
  "requested",
  "awaiting_approval",
  "approved",
  "applying",
  "progressing",
  "succeeded",
  "failed",
  "rejected",
  "cancelled",
  "expired",
  "superseded",
  "rolled_back",
] as const;
export type RolloutState = (typeof rolloutStates)[number];

export const waitingStates: RolloutState[] = ["requested", "awaiting_approval"];
export const inFlightStates: RolloutState[] = ["approved", "applying", "progressing"];
export const finalStates: RolloutState[] = ["succeeded", "failed", "rejected", "cancelled", "expired", "superseded", "rolled_back"];

const version = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "letters, digits, '.', '_', '+' and '-', starting with a letter or digit");

/** An OCI image reference: repository[:tag][@sha256:digest]. */
const imageRef = z
  .string()
  .max(500)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    "an image reference like registry.example.com/team/app:1.4.2 (optionally @sha256:…)",
  );

/** z.url() returns the text as sent, not as the URL parser normalised it, so control characters are checked here. */
const webUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((v) => isSafeText(v), "must not contain control characters");

export const registerReleaseSchema = z.object({
  version,
  image: imageRef,
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, "sha256:<64 hex digits>")
    .optional(),
  commitSha: z.string().regex(/^[a-f0-9]{7,64}$/, "a git commit SHA (hex)"),
  commitUrl: webUrl.optional(),
  buildUrl: webUrl.optional(),
  author: safeText(200).optional(),
  changelog: safeMultilineText(20_000).optional(),
});
export type RegisterReleaseInput = z.infer<typeof registerReleaseSchema>;

export const requestRolloutSchema = z.object({
  service: safeText(63),
  environment: safeText(63),
  version,
  reason: safeMultilineText(2000).trim().optional(),
});
export type RequestRolloutInput = z.infer<typeof requestRolloutSchema>;

export const decisionSchema = z.object({
  comment: safeMultilineText(2000).trim().min(1, "say why: approvals and rejections carry a comment"),
});

export const rollbackSchema = z.object({
  toVersion: version.optional(),
  reason: safeMultilineText(2000).trim().optional(),
});

export const freezeSchema = z.object({
  service: safeText(63).optional(),
  environment: safeText(63).optional(),
  reason: safeMultilineText(2000).trim().min(1),
  endsAt: safeDateTime(),
});

export type ReleaseView = {
  id: string;
  service: string;
  version: string;
  image: string;
  digest: string | null;
  commitSha: string;
  commitUrl: string | null;
  buildUrl: string | null;
  author: string | null;
  changelog: string | null;
  registeredBy: string;
  createdAt: string;
};

export type ApprovalView = { person: string; decision: "approve" | "reject"; comment: string; at: string };

export type CheckpointView = {
  id: string;
  kind: "deploy" | "promote";
  stepIndex: number | null;
  state: "awaiting_approval" | "approved" | "rejected" | "expired" | "cancelled";
  approvalsRequired: number;
  approvals: ApprovalView[];
  createdAt: string;
  decidedAt: string | null;
  appliedAt: string | null;
};

export type RolloutTargetView = {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  revisionBefore: number | null;
  revisionAfter: number | null;
  status: string;
  message: string | null;
};

export type RolloutView = {
  id: string;
  service: string;
  team: string | null;
  tier: number | null;
  environment: string;
  kind: "deploy" | "rollback";
  state: RolloutState;
  release: ReleaseView;
  previousRelease: ReleaseView | null;
  requestedBy: string;
  reason: string | null;
  approvalsRequired: number;
  failureReason: string | null;
  failureEvents: Array<{ type: string; reason: string; message: string; object?: string }>;
  checkpoints: CheckpointView[];
  targets: RolloutTargetView[];
  createdAt: string;
  approvedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  /** What it did to the service (error ratio, p95, restarts before and after), once measured. */
  health: { verdict: "healthy" | "degraded" | "unknown"; summary: string } | null;
};
