import "server-only";
import { z } from "zod";
import { isSafeText, safeDateTime, safeMultilineText, safeText } from "../shared/input";

export { rolloutStates, inFlightStates, finalStates } from "./contract";
export type { ApprovalView, CheckpointView, ReleaseView, RolloutState, RolloutTargetView, RolloutView } from "./contract";
import type * as Contract from "./contract";
import type * as Queries from "./queries";
import type { TargetObservation } from "./rollout-backend";
import type { LiveRollout } from "./watch-rollout";
import type { FreezeView } from "./freezes";
import type { DeployMarker } from "./deploy-markers";
import type { WorkloadAction } from "./operate-workload";

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
  /** When the commit was made (ISO 8601 with an offset): lead time for changes runs from here to production. */
  committedAt: safeDateTime()
    .refine((v) => new Date(v).getTime() <= Date.now() + 5 * 60_000, "must not be in the future")
    .optional(),
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

/**
 * The files that build these views still declare them too: this fails to compile the day one drifts from the
 * contract the browser parses it with.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agree<T extends true> = T;
type ViewsAgree = Agree<
  | Same<Queries.InboxItem, Contract.InboxItem>
  | Same<Queries.EnvironmentStatus, Contract.EnvironmentStatus>
  | Same<Queries.Evidence, Contract.Evidence>
  | Same<TargetObservation, Contract.TargetObservation>
  | Same<LiveRollout, Contract.LiveRollout>
  | Same<FreezeView, Contract.FreezeView>
  | Same<DeployMarker, Contract.DeployMarker>
  | Same<WorkloadAction, Contract.WorkloadAction>
>;
