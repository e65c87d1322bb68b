import "server-only";
import { withAudit, type RequestContext } from "../audit";
import type { Audit } from "../audit";
import { authorize, authorizeMutation, type Principal } from "../identity";
import type { Db, DbTx } from "../shared/db";
import { ConflictError, NotFoundError } from "../shared/errors";
import { environmentPolicy } from "./environments";
import { loadRolloutView, lockRollout } from "./rollout-repository";
import { closeOpenCheckpoints, moveRollout } from "./rollout-state-machine";
import type { RolloutView } from "./types";

/**
 * Goes back to what ran before a rollout (kubectl undo semantics: the previous revision), or to a chosen release.
 * An emergency action: no checkpoint, allowed during a freeze, same permission as operating the service.
 * Returns the new rollout (kind "rollback") that carries it out.
 */
export async function rollbackRollout(
  db: Db,
  principal: Principal | null,
  context: RequestContext,
  rolloutId: string,
  options: { toVersion?: string | undefined; reason?: string | undefined } = {},
): Promise<RolloutView> {
  const owner = await db.rollout.findUnique({
    where: { id: rolloutId },
    select: { environment: true, service: { select: { team: { select: { name: true } } } } },
  });
  if (!owner) throw new NotFoundError("There is no such rollout.");
  const checkpoint = environmentPolicy(owner.environment).policy === "checkpoint";
  if (principal) await authorizeMutation(db, principal, context, { action: "rollout.rollback", team: owner.service.team?.name ?? null, checkpoint });
  const id = await withAudit(db, context, (tx, audit) => rollbackInTransaction(tx, principal, context, rolloutId, options, audit));
  return (await loadRolloutView(db, id))!;
}

export async function rollbackInTransaction(
  tx: DbTx,
  principal: Principal | null,
  context: RequestContext,
  rolloutId: string,
  options: { toVersion?: string | undefined; reason?: string | undefined },
  audit: Audit,
): Promise<string> {
  await lockRollout(tx, rolloutId);
  const rollout = await tx.rollout.findUnique({
    where: { id: rolloutId },
    include: { service: { select: { id: true, name: true, team: { select: { name: true } } } }, release: { select: { version: true } } },
  });
  if (!rollout) throw new NotFoundError("There is no such rollout.");
  // Checked again on the locked row: the squad may have changed since the check outside the transaction.
  if (principal) {
    authorize(principal, {
      action: "rollout.rollback",
      team: rollout.service.team?.name ?? null,
      checkpoint: environmentPolicy(rollout.environment).policy === "checkpoint",
    });
  }
  if (!["progressing", "succeeded", "failed"].includes(rollout.state)) {
    throw new ConflictError(`A ${rollout.state.replace(/_/g, " ")} rollout has nothing to roll back.`);
  }
  const target = options.toVersion
    ? await tx.release.findUnique({ where: { serviceId_version: { serviceId: rollout.serviceId, version: options.toVersion } } })
    : rollout.previousReleaseId
      ? await tx.release.findUnique({ where: { id: rollout.previousReleaseId } })
      : null;
  if (!target) {
    throw new ConflictError(
      options.toVersion
        ? `${rollout.service.name} has no release ${options.toVersion}.`
        : "Slipway does not know what ran before this rollout; choose a release to roll back to.",
    );
  }
  // A rollback returns to something that ran here; anything else is a new rollout and goes through its checkpoint.
  if (options.toVersion && target.id !== rollout.previousReleaseId) {
    const ranHere = await tx.rollout.findFirst({
      where: {
        serviceId: rollout.serviceId,
        environment: rollout.environment,
        releaseId: target.id,
        OR: [{ state: "succeeded" }, { state: "rolled_back", failureReason: null, startedAt: { not: null } }],
      },
      select: { id: true },
    });
    if (!ranHere) {
      throw new ConflictError(
        `${rollout.service.name} ${target.version} never ran in ${rollout.environment}: a rollback can only return to a release that did. Request a rollout of it instead.`,
      );
    }
  }
  // Whatever else was rolling out there stops being watched: the rollback takes over the environment.
  const others = await tx.rollout.findMany({
    where: { serviceId: rollout.serviceId, environment: rollout.environment, state: { in: ["approved", "applying", "progressing"] }, id: { not: rollout.id } },
    select: { id: true },
  });
  for (const other of others) {
    await moveRollout(tx, audit, {
      id: other.id,
      from: ["approved", "applying", "progressing"],
      to: "superseded",
      data: { finishedAt: new Date() },
      details: { by: `the rollback of ${rollout.release.version}`, service: rollout.service.name, environment: rollout.environment },
    });
  }
  const moved = await moveRollout(tx, audit, {
    id: rollout.id,
    from: ["progressing", "succeeded", "failed"],
    to: "rolled_back",
    data: { finishedAt: rollout.finishedAt ?? new Date() },
    details: {
      service: rollout.service.name,
      environment: rollout.environment,
      from: rollout.release.version,
      to: target.version,
      reason: options.reason ?? null,
    },
  });
  if (!moved) throw new ConflictError("Someone else changed this rollout at the same moment; look again.");
  // A canary promotion still waiting on the rolled-back (or superseded) rollout has nothing left to promote.
  await closeOpenCheckpoints(
    tx,
    audit,
    { serviceId: rollout.serviceId, environment: rollout.environment, state: { in: ["rolled_back", "superseded"] } },
    "the rollout was rolled back",
  );
  const personId = principal?.person?.id ?? null;
  const back = await tx.rollout.create({
    data: {
      serviceId: rollout.serviceId,
      environment: rollout.environment,
      releaseId: target.id,
      previousReleaseId: rollout.releaseId,
      kind: "rollback",
      state: "approved",
      requestedById: personId,
      requestedByName: context.actor.name,
      reason: options.reason ?? `Roll back ${rollout.release.version}`,
      approvedAt: new Date(),
    },
  });
  await tx.rollout.update({ where: { id: rollout.id }, data: { rolledBackById: back.id } });
  // The rollback patches exactly what the rolled-back rollout patched: those workloads were checked as the service's.
  const targets = await tx.rolloutTarget.findMany({ where: { rolloutId: rollout.id } });
  await tx.rolloutTarget.createMany({
    data: targets.map((t) => ({
      rolloutId: back.id,
      cluster: t.cluster,
      namespace: t.namespace,
      workloadKind: t.workloadKind,
      workloadName: t.workloadName,
      container: t.container,
    })),
  });
  await audit({
    action: "rollout.request",
    targetType: "rollout",
    targetId: back.id,
    details: {
      service: rollout.service.name,
      environment: rollout.environment,
      kind: "rollback",
      version: target.version,
      from: rollout.release.version,
      rolledBack: rollout.id,
      state: "approved",
      reason: back.reason,
    },
  });
  return back.id;
}
