import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorizeMutation, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { ConflictError, ForbiddenError, NotFoundError } from "../shared/errors";
import { actingPerson } from "./acting-person";
import { environmentPolicy } from "./environments";
import { fixTargets, targetPath } from "./fix-targets";
import { assertNotFrozen } from "./freezes";
import type { RolloutBackend } from "./rollout-backend";

export const workloadActions = ["restart", "pause", "resume", "abort", "retry", "promote-full"] as const;
export type WorkloadAction = (typeof workloadActions)[number];

/** Resume, retry and promote-full move a rollout forward: a freeze blocks them. The rest stop trouble. */
const forward = new Set<WorkloadAction>(["resume", "retry", "promote-full"]);
const argoOnly = new Set<WorkloadAction>(["abort", "retry", "promote-full"]);

/**
 * Restart, pause/resume, and the Argo canary's abort/retry/full promotion, on the workloads the service owns in an
 * environment. The intent is recorded before the cluster is touched and the outcome after, so a crash or a failure
 * in between never leaves a cluster change without its event.
 */
export async function operateWorkload(
  db: Db,
  backend: RolloutBackend,
  principal: Principal,
  context: RequestContext,
  input: { service: string; environment: string; action: WorkloadAction; reason?: string | undefined },
): Promise<{ workloads: string[] }> {
  const policy = environmentPolicy(input.environment);
  const service = await db.service.findUnique({
    where: { kind_name: { kind: "component", name: input.service } },
    select: { id: true, name: true, tier: true, annotations: true, team: { select: { name: true } } },
  });
  if (!service) throw new NotFoundError(`There is no service named "${input.service}".`);
  const team = service.team?.name ?? null;
  await authorizeMutation(db, principal, context, { action: "rollout.operate", team, checkpoint: policy.policy === "checkpoint" });
  if (forward.has(input.action)) await assertNotFrozen(db, service.id, input.environment, `${input.action} of ${service.name}`);

  // Skipping the canary's remaining steps skips their checkpoints: in a checkpoint environment that is an approval
  // of each, under the same four-eyes rule, by someone other than the person who requested the rollout.
  let skipped: { rolloutId: string; checkpoints: string[] } | null = null;
  if (input.action === "promote-full" && policy.policy === "checkpoint") {
    await authorizeMutation(db, principal, context, { action: "checkpoint.approve", team, tier: service.tier, requestedBy: null, approvedBy: [] });
    const inFlight = await db.rollout.findFirst({
      where: { serviceId: service.id, environment: policy.name, state: "progressing" },
      orderBy: { createdAt: "desc" },
      include: { checkpoints: { where: { kind: "promote" } } },
    });
    if (!inFlight) throw new ConflictError(`No rollout of ${service.name} is progressing in ${policy.name}: there is nothing to promote.`);
    await authorizeMutation(db, principal, context, {
      action: "checkpoint.approve",
      team,
      tier: service.tier,
      requestedBy: inFlight.requestedById,
      approvedBy: [],
    });
    const required = Math.max(1, inFlight.approvalsRequired);
    if (required > 1) {
      throw new ForbiddenError(
        `Each step of ${service.name}'s canary in ${policy.name} needs ${required} approvals from different people: approve its step checkpoints instead of promoting it fully.`,
      );
    }
    skipped = { rolloutId: inFlight.id, checkpoints: inFlight.checkpoints.filter((c) => c.state === "awaiting_approval").map((c) => c.id) };
  }

  const targets = await fixTargets(
    backend,
    { name: service.name, team, annotations: (service.annotations ?? {}) as Record<string, string> },
    input.environment,
    { db, context },
  );
  const wrongKind = argoOnly.has(input.action) ? targets.find((t) => t.kind !== "Rollout") : undefined;
  if (wrongKind) throw new ConflictError(`${input.action} applies to Argo Rollouts; ${wrongKind.namespace}/${wrongKind.name} is a ${wrongKind.kind}.`);
  const workloads = targets.map((t) => targetPath(t));
  const details = { environment: input.environment, workloads, reason: input.reason ?? null };

  // Intent first, in its own transaction: whatever happens next, the trail says who asked for what.
  await withAudit(db, context, async (tx, audit) => {
    if (skipped) {
      for (const checkpointId of skipped.checkpoints) {
        await tx.approval.create({
          data: {
            checkpointId,
            personId: principal.person!.id,
            personName: principal.person!.name,
            decision: "approve",
            comment: `Full promotion: ${input.reason ?? "no reason given"}`,
          },
        });
        await tx.checkpoint.update({ where: { id: checkpointId }, data: { state: "approved", decidedAt: new Date(), appliedAt: new Date() } });
      }
      await audit({
        action: "checkpoint.skip",
        targetType: "rollout",
        targetId: skipped.rolloutId,
        details: { service: service.name, ...details, checkpoints: skipped.checkpoints.length },
      });
    }
    await audit({ action: `workload.${input.action}.requested`, targetType: "service", targetId: service.name, details });
  });

  const as = await actingPerson(db, principal.person?.id ?? null);
  const done: string[] = [];
  try {
    for (const t of targets) {
      switch (input.action) {
        case "restart":
          await backend.restart(t, as);
          break;
        case "pause":
          await backend.setPaused(t, true, as);
          break;
        case "resume":
          await backend.setPaused(t, false, as);
          break;
        case "abort":
          await backend.abort(t, as);
          break;
        case "retry":
          await backend.retry(t, as);
          break;
        case "promote-full":
          await backend.promote(t, { full: true }, as);
          break;
      }
      done.push(targetPath(t));
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await withAudit(db, context, async (_tx, audit) => {
      await audit({ action: `workload.${input.action}.failed`, targetType: "service", targetId: service.name, details: { ...details, done, error: message } });
    });
    throw error;
  }
  await withAudit(db, context, async (_tx, audit) => {
    await audit({ action: `workload.${input.action}`, targetType: "service", targetId: service.name, details: { ...details, workloads: done } });
  });
  return { workloads: done };
}
