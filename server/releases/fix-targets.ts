import "server-only";
import { withAudit, type RequestContext } from "../audit";
import type { Db } from "../shared/db";
import { ConflictError, ForbiddenError, ServiceUnavailableError } from "../shared/errors";
import type { RolloutBackend } from "./rollout-backend";

export type OwnedTarget = { cluster: string; kind: "Deployment" | "Rollout"; namespace: string; name: string; container: string };

export const targetPath = (t: { cluster: string; namespace: string; kind?: string; workloadKind?: string; name?: string; workloadName?: string }) =>
  `${t.cluster}/${t.namespace}/${t.kind ?? t.workloadKind}/${t.name ?? t.workloadName}`;

/**
 * The workloads an action on a service will touch, decided by the cluster side: refused outright when its mapping
 * reaches anything the service does not own, and never guessed when a cluster of the environment cannot answer.
 */
export async function fixTargets(
  backend: RolloutBackend,
  service: { name: string; team: string | null; annotations: Record<string, string> },
  environment: string,
  /** Where a person asked: their refusal is recorded in the audit trail (a reconciler's failure is recorded anyway). */
  asked?: { db: Db; context: RequestContext },
): Promise<OwnedTarget[]> {
  const { targets, errors, refused } = await backend.resolveTargets(service, environment);
  if (refused.length) {
    if (asked) {
      await withAudit(asked.db, asked.context, async (_tx, audit) => {
        await audit({
          action: "access.refused",
          targetType: "service",
          targetId: service.name,
          details: { reason: "workload mapping reaches workloads the service does not own", environment, refused },
        });
      });
    }
    throw new ForbiddenError(
      `${service.name}'s workload mapping reaches workloads it does not own, so nothing was done: ${refused.map((r) => r.reason).join(" ")}`,
    );
  }
  if (errors.length) {
    throw new ServiceUnavailableError(
      `Slipway cannot tell which workloads of ${service.name} run in ${environment}: ${errors.map((e) => `cluster ${e.cluster}: ${e.message}`).join("; ")}. Try again when the cluster answers.`,
    );
  }
  if (!targets.length) {
    throw new ConflictError(
      `No workload of ${service.name} runs in ${environment}: Slipway looks for workloads labelled backstage.io/kubernetes-id in the namespaces of its squad.`,
    );
  }
  return targets;
}
