import { z } from "zod";

/**
 * The parts of the API's answers the CLI reads. Objects are loose: the server may add fields, and --json prints
 * what it sent, not what this file knows.
 */

export const releaseSchema = z.looseObject({ version: z.string(), image: z.string().optional(), commitSha: z.string().optional() });

const checkpointSchema = z.looseObject({
  kind: z.string(),
  stepIndex: z.number().nullable().optional(),
  state: z.string(),
  approvalsRequired: z.number(),
  approvals: z.array(z.looseObject({ person: z.string(), decision: z.string(), comment: z.string().optional() })),
});

export const rolloutSchema = z.looseObject({
  id: z.string(),
  service: z.string(),
  environment: z.string(),
  kind: z.string().optional(),
  state: z.string(),
  release: releaseSchema,
  requestedBy: z.string().optional(),
  failureReason: z.string().nullable().optional(),
  checkpoints: z.array(checkpointSchema).default([]),
  targets: z.array(z.looseObject({ cluster: z.string(), workloadName: z.string(), status: z.string(), message: z.string().nullable().optional() })).default([]),
  startedAt: z.string().nullable().optional(),
  finishedAt: z.string().nullable().optional(),
  expiresAt: z.string().nullable().optional(),
});
export type Rollout = z.infer<typeof rolloutSchema>;

const replicasSchema = z.looseObject({ desired: z.number(), updated: z.number().optional(), ready: z.number(), available: z.number().optional() });

/** A `rollout` event of the stream: the rollout and what its workloads do now. */
export const liveRolloutSchema = z.looseObject({
  rollout: rolloutSchema,
  observations: z
    .array(
      z.looseObject({
        cluster: z.string(),
        name: z.string(),
        error: z.string().nullable().optional(),
        observation: z
          .looseObject({
            workload: z.looseObject({
              replicas: replicasSchema,
              status: z.looseObject({ state: z.string().optional(), message: z.string().optional() }).optional(),
              canary: z.looseObject({ currentStepIndex: z.number().nullable(), totalSteps: z.number(), weight: z.number().nullable() }).nullable().optional(),
            }),
          })
          .nullable(),
      }),
    )
    .default([]),
});
export type LiveRollout = z.infer<typeof liveRolloutSchema>;

const words = (state: string) => state.replace(/_/g, " ");

function openCheckpoint(rollout: Rollout) {
  return rollout.checkpoints.find((c) => c.state === "awaiting_approval");
}

/** What the workloads are doing, e.g. `2/3 updated, 1/3 ready` or `canary step 2/5 at 20%`. */
function workloadProgress(live: LiveRollout): string {
  const parts: string[] = [];
  for (const o of live.observations) {
    const w = o.observation?.workload;
    if (!w) {
      if (o.error) parts.push(`${o.cluster}: ${o.error}`);
      continue;
    }
    const r = w.replicas;
    const prefix = live.observations.length > 1 ? `${o.cluster}: ` : "";
    const canary = w.canary && w.canary.totalSteps > 0 ? `, canary step ${(w.canary.currentStepIndex ?? 0) + 1}/${w.canary.totalSteps}` : "";
    const weight = w.canary?.weight !== null && w.canary?.weight !== undefined ? ` at ${w.canary.weight}%` : "";
    parts.push(`${prefix}${r.updated ?? r.ready}/${r.desired} updated, ${r.ready}/${r.desired} ready${canary}${weight}`);
  }
  return parts.join("; ");
}

/** One line saying where a rollout is: `card-api 2.4.0 to staging: progressing (2/3 updated, 1/3 ready)`. */
export function describeProgress(live: LiveRollout): string {
  const { rollout } = live;
  const head = `${rollout.service} ${rollout.release.version} to ${rollout.environment}`;
  const checkpoint = openCheckpoint(rollout);
  if (checkpoint) {
    const got = checkpoint.approvals.filter((a) => a.decision === "approve").length;
    const step = checkpoint.kind === "promote" && typeof checkpoint.stepIndex === "number" ? ` to promote step ${checkpoint.stepIndex + 1}` : "";
    return `${head}: ${words(rollout.state)}, waiting for approval${step} (${got} of ${checkpoint.approvalsRequired})`;
  }
  const progress = ["applying", "progressing"].includes(rollout.state) ? workloadProgress(live) : "";
  return `${head}: ${words(rollout.state)}${progress ? ` (${progress})` : ""}`;
}

function took(rollout: Rollout): string {
  if (!rollout.startedAt || !rollout.finishedAt) return "";
  const seconds = Math.max(0, Math.round((Date.parse(rollout.finishedAt) - Date.parse(rollout.startedAt)) / 1000));
  return ` in ${seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`}`;
}

/** The closing line of an ended rollout, with the reason when it did not succeed. */
export function describeOutcome(rollout: Rollout): string {
  const head = `${rollout.service} ${rollout.release.version}`;
  const rejection = rollout.checkpoints.flatMap((c) => c.approvals).find((a) => a.decision === "reject");
  switch (rollout.state) {
    case "succeeded":
      return `${head} is live in ${rollout.environment}${took(rollout)}.`;
    case "failed":
      return `${head} failed in ${rollout.environment}${rollout.failureReason ? `: ${rollout.failureReason}` : "."}`;
    case "rolled_back":
      return `${head} was rolled back in ${rollout.environment}${rollout.failureReason ? `: ${rollout.failureReason}` : "."}`;
    case "rejected":
      return `${head} to ${rollout.environment} was rejected${rejection ? ` by ${rejection.person}: ${rejection.comment ?? ""}` : "."}`;
    default:
      return `${head} to ${rollout.environment} ended ${words(rollout.state)}${rollout.failureReason ? `: ${rollout.failureReason}` : "."}`;
  }
}
