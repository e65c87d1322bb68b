import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorizeMutation, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors";
import { approvalsRequired, environmentPolicy } from "./environments";
import { fixTargets, targetPath } from "./fix-targets";
import { assertNotFrozen } from "./freezes";
import type { RolloutBackend } from "./rollout-backend";
import { currentRelease, loadRolloutView } from "./rollout-repository";
import { closeOpenCheckpoints, moveRollout } from "./rollout-state-machine";
import { notifyRollout } from "./notify-event";
import type { RequestRolloutInput, RolloutView } from "./types";

/**
 * A person (or, for an automatic environment, a squad's token) asks for a release to run in an environment. In a
 * checkpoint environment this opens the production checkpoint; it replaces an older request still waiting for the
 * same service and environment. The workloads it will patch are fixed now, from the cluster side, and shown to the
 * approvers: an approval approves exactly those.
 */
export async function requestRollout(
  db: Db,
  backend: RolloutBackend,
  principal: Principal,
  context: RequestContext,
  input: RequestRolloutInput,
): Promise<RolloutView> {
  const policy = environmentPolicy(input.environment);
  const service = await db.service.findUnique({
    where: { kind_name: { kind: "component", name: input.service } },
    select: { id: true, name: true, tier: true, annotations: true, team: { select: { name: true } } },
  });
  if (!service) throw new NotFoundError(`There is no service named "${input.service}".`);
  const team = service.team?.name ?? null;
  const checkpointed = policy.policy === "checkpoint";
  await authorizeMutation(db, principal, context, { action: "rollout.request", team, checkpoint: checkpointed });
  if (checkpointed && !input.reason?.trim()) {
    throw new ValidationError(`Say why ${service.name} should change in ${policy.name}: a production request carries a reason.`, [
      { path: "reason", message: "required for a checkpoint environment" },
    ]);
  }
  const release = await db.release.findUnique({ where: { serviceId_version: { serviceId: service.id, version: input.version } } });
  if (!release)
    throw new NotFoundError(`${service.name} has no release ${input.version}: CI registers releases with POST /api/v1/services/${service.name}/releases.`);
  const targets = await fixTargets(backend, { name: service.name, team, annotations: (service.annotations ?? {}) as Record<string, string> }, policy.name, {
    db,
    context,
  });
  const requester = principal.person;
  const required = approvalsRequired(policy, service.tier);

  const id = await withAudit(db, context, async (tx, audit) => {
    await assertNotFrozen(tx, service.id, policy.name, "Requesting a rollout");
    const running = await currentRelease(tx, service.id, policy.name);
    if (running?.id === release.id) throw new ConflictError(`${service.name} ${release.version} already runs in ${policy.name}.`);
    const inFlight = await tx.rollout.findFirst({
      where: { serviceId: service.id, environment: policy.name, releaseId: release.id, state: { in: ["approved", "applying", "progressing"] } },
    });
    if (inFlight) throw new ConflictError(`${service.name} ${release.version} is already rolling out to ${policy.name}.`, { rolloutId: inFlight.id });

    const waiting = await tx.rollout.findMany({
      where: { serviceId: service.id, environment: policy.name, state: { in: ["requested", "awaiting_approval"] } },
      select: { id: true },
    });
    for (const old of waiting) {
      await moveRollout(tx, audit, {
        id: old.id,
        from: ["requested", "awaiting_approval"],
        to: "superseded",
        data: { finishedAt: new Date() },
        details: { by: "a newer request", service: service.name, environment: policy.name },
      });
      await closeOpenCheckpoints(tx, audit, { id: old.id }, "a newer request replaced it");
    }

    const rollout = await tx.rollout.create({
      data: {
        serviceId: service.id,
        environment: policy.name,
        releaseId: release.id,
        previousReleaseId: running?.id ?? null,
        state: checkpointed ? "awaiting_approval" : "approved",
        requestedById: requester?.id ?? null,
        requestedByName: context.actor.name,
        reason: input.reason ?? null,
        approvalsRequired: checkpointed ? required : 0,
        approvedAt: checkpointed ? null : new Date(),
        expiresAt: checkpointed ? new Date(Date.now() + policy.checkpointTtlHours * 3_600_000) : null,
      },
    });
    if (checkpointed) {
      await tx.checkpoint.create({ data: { rolloutId: rollout.id, kind: "deploy", state: "awaiting_approval", approvalsRequired: required } });
      await notifyRollout(tx, "checkpoint.awaiting_approval", rollout.id);
    }
    await tx.rolloutTarget.createMany({
      data: targets.map((t) => ({
        rolloutId: rollout.id,
        cluster: t.cluster,
        namespace: t.namespace,
        workloadKind: t.kind,
        workloadName: t.name,
        container: t.container,
      })),
    });
    await audit({
      action: "rollout.request",
      targetType: "rollout",
      targetId: rollout.id,
      details: {
        service: service.name,
        environment: policy.name,
        version: release.version,
        image: release.image,
        from: running?.version ?? null,
        state: rollout.state,
        approvalsRequired: checkpointed ? required : 0,
        reason: input.reason ?? null,
        willPatch: targets.map((t) => targetPath(t)),
      },
    });
    return rollout.id;
  });
  return (await loadRolloutView(db, id))!;
}
