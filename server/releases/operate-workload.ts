import "server-only";
import { assertNotFrozen } from "./freezes";
import { withAudit, type RequestContext } from "../audit";
import { authorize, type Principal } from "../identity/permissions-api";
import type { Db } from "../shared/db";
import { ConflictError, NotFoundError } from "../shared/errors";
import { environmentPolicy } from "./environments";
import type { RolloutBackend } from "./rollout-backend";

export const workloadActions = ["restart", "pause", "resume", "abort", "retry", "promote-full"] as const;
export type WorkloadAction = (typeof workloadActions)[number];

/**
 * Restart, pause/resume, and the Argo canary's abort/retry/full promotion, on every workload of a service in an
 * environment. Audited with the same permission as rolling back; allowed during a freeze (they stop trouble).
 */
const forward = new Set<WorkloadAction>(["resume", "retry", "promote-full"]);

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
  authorize(principal, { action: "rollout.operate", team: service.team?.name ?? null });
  // Restart, pause and abort stop trouble and stay allowed in a freeze. Resume, retry and promote-full move a
  // rollout forward: a freeze blocks them, and in a checkpoint environment skipping the canary's remaining steps
  // (each of which is a promote checkpoint) takes an approver, as those checkpoints would.
  if (forward.has(input.action)) await assertNotFrozen(db, service.id, input.environment, `${input.action} of ${service.name}`);
  if (input.action === "promote-full" && policy.policy === "checkpoint") {
    authorize(principal, { action: "checkpoint.approve", team: service.team?.name ?? null, tier: service.tier, requestedBy: null, approvedBy: [] });
  }
  const { targets, errors } = await backend.resolveTargets({ name: service.name, annotations: (service.annotations ?? {}) as Record<string, string> }, input.environment);
  if (!targets.length) throw new ConflictError(errors.length ? errors.map((e) => `${e.cluster}: ${e.message}`).join("; ") : `No workload for ${service.name} runs in ${input.environment}.`);
  const as = principal.kind === "session" ? { user: principal.person.email ?? principal.person.name, groups: [] } : undefined;
  const done: string[] = [];
  for (const t of targets) {
    if (["abort", "retry", "promote-full"].includes(input.action) && t.kind !== "Rollout") {
      throw new ConflictError(`${input.action} applies to Argo Rollouts; ${t.namespace}/${t.name} is a ${t.kind}.`);
    }
    switch (input.action) {
      case "restart": await backend.restart(t, as); break;
      case "pause": await backend.setPaused(t, true, as); break;
      case "resume": await backend.setPaused(t, false, as); break;
      case "abort": await backend.abort(t, as); break;
      case "retry": await backend.retry(t, as); break;
      case "promote-full": await backend.promote(t, { full: true }, as); break;
    }
    done.push(`${t.cluster}/${t.namespace}/${t.kind}/${t.name}`);
  }
  await withAudit(db, context, async (_tx, audit) => {
    await audit({ action: `workload.${input.action}`, targetType: "service", targetId: service.name, details: { environment: input.environment, workloads: done, reason: input.reason ?? null } });
  });
  return { workloads: done };
}
