import "server-only";
import type { DbTx } from "../../shared/db";
import type { ImportError } from "../types";
import { tierOf, type ImportPlan } from "./import-descriptors";

/** Annotations that decide what a service's rollouts patch (Backstage's Kubernetes ones and Slipway's own). */
export const mappingAnnotations = [
  "backstage.io/kubernetes-id",
  "backstage.io/kubernetes-label-selector",
  "backstage.io/kubernetes-namespace",
  "slipway.io/workload-kind",
  "slipway.io/workload-name",
  "slipway.io/workload-namespace",
  "slipway.io/container",
] as const;

export type PolicyChange = { service: string; changes: string[] };

export type PlannedComponent = { name: string; team: string | null; annotations: Record<string, string>; document: number; line: number };

export function plannedComponents(plan: ImportPlan): PlannedComponent[] {
  return plan.resolved.services
    .filter((s) => s.descriptor.kind === "Component")
    .map((s) => ({
      name: s.descriptor.metadata.name,
      team: plan.resolved.owners.get(s) ?? null,
      annotations: (s.descriptor.metadata.annotations ?? {}) as Record<string, string>,
      document: s.document,
      line: s.line,
    }));
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "none" : String(v));

/**
 * What an import would change of existing services' policy: the tier (how many approvals), the owner (who requests
 * and approves) and the workload mapping (what gets patched). Only an admin may change those through an import.
 */
export async function policyChanges(tx: DbTx, plan: ImportPlan): Promise<PolicyChange[]> {
  const components = plan.resolved.services.filter((s) => s.descriptor.kind === "Component");
  if (!components.length) return [];
  const names = components.map((s) => s.descriptor.metadata.name);
  const existing = await tx.service.findMany({
    where: { kind: "component", name: { in: names } },
    select: { name: true, tier: true, annotations: true, team: { select: { name: true } } },
  });
  const byName = new Map(existing.map((e) => [e.name, e]));
  const result: PolicyChange[] = [];
  for (const s of components) {
    const current = byName.get(s.descriptor.metadata.name);
    if (!current) continue;
    const changes: string[] = [];
    const tier = tierOf(s.descriptor);
    if (tier !== current.tier) changes.push(`tier ${show(current.tier)} -> ${show(tier)}`);
    const owner = plan.resolved.owners.get(s) ?? null;
    if (owner !== (current.team?.name ?? null)) changes.push(`owner ${show(current.team?.name)} -> ${show(owner)}`);
    const before = (current.annotations ?? {}) as Record<string, string>;
    const after = (s.descriptor.metadata.annotations ?? {}) as Record<string, string>;
    for (const key of mappingAnnotations) {
      if ((before[key] ?? "") !== (after[key] ?? "")) changes.push(`${key} ${show(before[key])} -> ${show(after[key])}`);
    }
    if (changes.length) result.push({ service: current.name, changes });
  }
  return result;
}

/**
 * A service's workloads are found by its id (`backstage.io/kubernetes-id`, else its name): two services claiming one
 * id would share workloads, so a new claim on an id another service holds is refused.
 */
export async function workloadIdClashes(tx: DbTx, components: PlannedComponent[]): Promise<ImportError[]> {
  const idOf = (c: { name: string; annotations: Record<string, string> }) => c.annotations["backstage.io/kubernetes-id"]?.trim() || c.name;
  const errors: ImportError[] = [];
  const claimed = new Map<string, PlannedComponent>();
  for (const c of components) {
    const id = idOf(c);
    const other = claimed.get(id);
    if (other)
      errors.push({ document: c.document, line: c.line, message: `backstage.io/kubernetes-id ${id} is also ${other.name}'s (document ${other.document})` });
    else claimed.set(id, c);
  }
  if (!claimed.size) return errors;
  const ids = [...claimed.keys()];
  const holders = await tx.$queryRaw<Array<{ name: string; id: string }>>`
    SELECT name, COALESCE(NULLIF(btrim(annotations->>'backstage.io/kubernetes-id'), ''), name) AS id
    FROM service
    WHERE kind = 'component' AND (name = ANY(${ids}) OR annotations->>'backstage.io/kubernetes-id' = ANY(${ids}))`;
  for (const holder of holders) {
    const claimant = claimed.get(holder.id);
    if (claimant && claimant.name !== holder.name && !components.some((c) => c.name === holder.name && idOf(c) !== holder.id)) {
      errors.push({
        document: claimant.document,
        line: claimant.line,
        message: `backstage.io/kubernetes-id ${holder.id} belongs to ${holder.name}: a service acts only on workloads labelled with its own id`,
      });
    }
  }
  return errors;
}
