import { z } from "zod";
import { eventViewSchema, podViewSchema, replicaSetViewSchema, workloadViewSchema } from "../cluster/contract";

/** What the browser may import about releases: rollouts, checkpoints, deploy status and the live rollout stream. */

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

export const inFlightStates: RolloutState[] = ["approved", "applying", "progressing"];
export const finalStates: RolloutState[] = ["succeeded", "failed", "rejected", "cancelled", "expired", "superseded", "rolled_back"];

export const workloadActions = ["restart", "pause", "resume", "abort", "retry", "promote-full"] as const;
export type WorkloadAction = (typeof workloadActions)[number];

export const releaseViewSchema = z.object({
  id: z.string(),
  service: z.string(),
  version: z.string(),
  image: z.string(),
  digest: z.string().nullable(),
  commitSha: z.string(),
  /** When the commit was made, when the release said so: lead time for changes runs from here to production. */
  committedAt: z.string().nullable(),
  commitUrl: z.string().nullable(),
  buildUrl: z.string().nullable(),
  author: z.string().nullable(),
  changelog: z.string().nullable(),
  registeredBy: z.string(),
  createdAt: z.string(),
});
export type ReleaseView = z.infer<typeof releaseViewSchema>;

export const approvalViewSchema = z.object({ person: z.string(), decision: z.enum(["approve", "reject"]), comment: z.string(), at: z.string() });
export type ApprovalView = z.infer<typeof approvalViewSchema>;

export const checkpointViewSchema = z.object({
  id: z.string(),
  kind: z.enum(["deploy", "promote"]),
  stepIndex: z.number().nullable(),
  state: z.enum(["awaiting_approval", "approved", "rejected", "expired", "cancelled"]),
  approvalsRequired: z.number(),
  approvals: z.array(approvalViewSchema),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  appliedAt: z.string().nullable(),
});
export type CheckpointView = z.infer<typeof checkpointViewSchema>;

export const rolloutTargetViewSchema = z.object({
  cluster: z.string(),
  namespace: z.string(),
  workloadKind: z.string(),
  workloadName: z.string(),
  container: z.string(),
  revisionBefore: z.number().nullable(),
  revisionAfter: z.number().nullable(),
  status: z.string(),
  message: z.string().nullable(),
});
export type RolloutTargetView = z.infer<typeof rolloutTargetViewSchema>;

export const rolloutViewSchema = z.object({
  id: z.string(),
  service: z.string(),
  team: z.string().nullable(),
  tier: z.number().nullable(),
  environment: z.string(),
  kind: z.enum(["deploy", "rollback"]),
  state: z.enum(rolloutStates),
  release: releaseViewSchema,
  previousRelease: releaseViewSchema.nullable(),
  requestedBy: z.string(),
  reason: z.string().nullable(),
  approvalsRequired: z.number(),
  failureReason: z.string().nullable(),
  failureEvents: z.array(z.object({ type: z.string(), reason: z.string(), message: z.string(), object: z.string().optional() })),
  checkpoints: z.array(checkpointViewSchema),
  targets: z.array(rolloutTargetViewSchema),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** What it did to the service (error ratio, p95, restarts before and after), once measured. */
  health: z.object({ verdict: z.enum(["healthy", "degraded", "unknown"]), summary: z.string() }).nullable(),
});
export type RolloutView = z.infer<typeof rolloutViewSchema>;

/** A rollout waiting for a decision, saying whether the caller may decide it and why not. */
export const inboxItemSchema = rolloutViewSchema.extend({ canDecide: z.boolean(), whyNot: z.string().nullable() });
export type InboxItem = z.infer<typeof inboxItemSchema>;
export const inboxSchema = z.object({ items: z.array(inboxItemSchema), count: z.number() });

export const environmentStatusSchema = z.object({
  environment: z.string(),
  title: z.string(),
  production: z.boolean(),
  policy: z.enum(["auto", "checkpoint"]),
  running: releaseViewSchema.nullable(),
  since: z.string().nullable(),
  pending: rolloutViewSchema.nullable(),
  inFlight: rolloutViewSchema.nullable(),
});
export type EnvironmentStatus = z.infer<typeof environmentStatusSchema>;

/** GET /api/v1/services/{name}/deploys: what runs where, the releases, and a page of the deploy history. */
export const deploysPageSchema = z.object({
  environments: z.array(environmentStatusSchema),
  releases: z.array(releaseViewSchema),
  history: z.array(rolloutViewSchema),
  nextCursor: z.string().nullable(),
});
export type DeploysPage = z.infer<typeof deploysPageSchema>;

/** What an approver weighs before deciding a checkpoint. */
export const evidenceSchema = z.object({
  proposed: releaseViewSchema,
  running: releaseViewSchema.nullable(),
  /** Releases between what runs and what is proposed, newest first: the commits this rollout brings. */
  changes: z.array(releaseViewSchema),
  /** How the same release did in the environments before this one, with its health there where measured. */
  earlier: z.array(
    z.object({
      environment: z.string(),
      state: z.enum(rolloutStates),
      since: z.string().nullable(),
      failureReason: z.string().nullable(),
      health: z.object({ verdict: z.string(), summary: z.string() }).nullable(),
    }),
  ),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** The workloads an approval lets Slipway patch, fixed at the request: `production/cards/Deployment/card-api`. */
  willPatch: z.array(z.string()),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const freezeViewSchema = z.object({
  id: z.string(),
  service: z.string().nullable(),
  environment: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});
export type FreezeView = z.infer<typeof freezeViewSchema>;

/** A rollout as a line on a chart: when it started, what it brought, who asked and approved, how it ended. */
export const deployMarkerSchema = z.object({
  rolloutId: z.string(),
  version: z.string(),
  kind: z.enum(["deploy", "rollback"]),
  state: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  requestedBy: z.string(),
  approvedBy: z.array(z.string()),
});
export type DeployMarker = z.infer<typeof deployMarkerSchema>;

export const targetObservationSchema = z.object({
  workload: workloadViewSchema,
  replicaSets: z.array(replicaSetViewSchema),
  pods: z.array(podViewSchema),
  events: z.array(eventViewSchema),
});
export type TargetObservation = z.infer<typeof targetObservationSchema>;

/** A `rollout` event of /api/v1/rollouts/{id}/stream: the rollout and what each of its targets runs now. */
export const liveRolloutSchema = z.object({
  rollout: rolloutViewSchema,
  observations: z.array(
    z.object({ cluster: z.string(), namespace: z.string(), name: z.string(), observation: targetObservationSchema.nullable(), error: z.string().nullable() }),
  ),
});
export type LiveRollout = z.infer<typeof liveRolloutSchema>;

/** What POST .../environments/{environment}/{action} answers: the workloads it acted on. */
export const operatedWorkloadsSchema = z.object({ workloads: z.array(z.string()) });
