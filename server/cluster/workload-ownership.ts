import "server-only";
import { ANNOTATIONS, type ServiceLike } from "./workload-mapping";
import type { WorkloadKind } from "./types";

/**
 * What belongs to a service is decided on the cluster side, never by a descriptor its squad may edit: a workload is a
 * service's only when it sits in a namespace the service's squad owns (slipway.config.yaml `namespaceOwners`) and
 * carries the label `backstage.io/kubernetes-id=<the service's id>`. Selectors and explicit workload names may
 * narrow that set; anything they match beyond it is refused, never acted on.
 */

export type OwnedService = ServiceLike & { team: string | null };

export type OwnershipRules = {
  /** The squads that own a namespace on a cluster; empty when nobody does. */
  namespaceOwners(cluster: string, namespace: string): string[];
};

export type CandidateWorkload = { cluster: string; kind: WorkloadKind; namespace: string; name: string; labels: Record<string, string> };

/** The id a service's workloads are labelled with: its `backstage.io/kubernetes-id` annotation, else its name. */
export function serviceWorkloadId(service: ServiceLike): string {
  return service.annotations?.[ANNOTATIONS.id]?.trim() || service.name;
}

export function workloadPath(w: { cluster: string; kind: string; namespace: string; name: string }): string {
  return `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`;
}

/** Why `service` may not act on `workload`, or null when the workload is the service's. */
export function ownershipRefusal(service: OwnedService, workload: CandidateWorkload, rules: OwnershipRules): string | null {
  const where = workloadPath(workload);
  if (!service.team) return `${where}: ${service.name} has no owning squad, so it may act on no workload.`;
  const owners = rules.namespaceOwners(workload.cluster, workload.namespace);
  if (!owners.includes(service.team)) {
    const ownedBy = owners.length ? `belongs to ${owners.join(", ")}` : "is assigned to no squad in slipway.config.yaml (namespaceOwners)";
    return `${where}: namespace ${workload.namespace} ${ownedBy}, not ${service.team}.`;
  }
  const id = serviceWorkloadId(service);
  const label = workload.labels[ANNOTATIONS.id];
  if (label !== id) {
    const carries = label === undefined ? "carries no backstage.io/kubernetes-id label" : `is labelled backstage.io/kubernetes-id=${label}`;
    return `${where} ${carries}; only workloads labelled backstage.io/kubernetes-id=${id} belong to ${service.name}.`;
  }
  return null;
}

/** Splits what a mapping matched into the service's workloads and the refused ones (with the reason for each). */
export function partitionByOwnership<W extends CandidateWorkload>(
  service: OwnedService,
  workloads: W[],
  rules: OwnershipRules,
): { owned: W[]; refused: Array<{ workload: string; reason: string }> } {
  const owned: W[] = [];
  const refused: Array<{ workload: string; reason: string }> = [];
  for (const w of workloads) {
    const reason = ownershipRefusal(service, w, rules);
    if (reason) refused.push({ workload: workloadPath(w), reason });
    else owned.push(w);
  }
  return { owned, refused };
}

/**
 * Checks a service's mapping annotations without asking a cluster: a namespace it names must be one its squad owns
 * somewhere, and a label selector naming `backstage.io/kubernetes-id` must name the service's own id. Returns the
 * problems, each naming the annotation.
 */
export function staticMappingProblems(
  service: OwnedService,
  squadOwnsNamespace: (team: string, namespace: string) => boolean,
): Array<{ annotation: string; message: string }> {
  const a = service.annotations ?? {};
  const problems: Array<{ annotation: string; message: string }> = [];
  for (const key of [ANNOTATIONS.namespace, ANNOTATIONS.workloadNamespace]) {
    const namespace = a[key]?.trim();
    if (!namespace) continue;
    if (!service.team || !squadOwnsNamespace(service.team, namespace)) {
      problems.push({ annotation: key, message: `namespace ${namespace} is not one of ${service.team ?? "the owning squad"}'s namespaces` });
    }
  }
  const selector = a[ANNOTATIONS.selector];
  if (selector) {
    const id = serviceWorkloadId(service);
    for (const requirement of selector.split(",")) {
      const match = /^\s*backstage\.io\/kubernetes-id\s*(==?|!=)\s*(\S*)\s*$/.exec(requirement);
      if (match && (match[1] === "!=" || match[2] !== id)) {
        problems.push({
          annotation: ANNOTATIONS.selector,
          message: `the selector must not name another service's id (${requirement.trim()}); this service's is ${id}`,
        });
      }
    }
  }
  return problems;
}

/**
 * The import-time check of workload mappings against the clusters' ownership rules; undefined when no namespace is
 * assigned to any squad (no cluster is configured to act on, and every action would be refused anyway).
 */
export function mappingCheckFor(registry: {
  squadOwnsNamespace(team: string, namespace: string): boolean;
  hasNamespaceOwners: boolean;
}): ((service: OwnedService) => Array<{ annotation: string; message: string }>) | undefined {
  if (!registry.hasNamespaceOwners) return undefined;
  return (service) => staticMappingProblems(service, registry.squadOwnsNamespace);
}
