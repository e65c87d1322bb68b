import "server-only";
import { ValidationError } from "../shared/errors";
import { isDns1123Label, isDns1123Subdomain } from "./kube-names";
import { LabelSelectorError, matchesLabels, parseLabelSelector, type LabelSelector } from "./label-selector";
import type { WorkloadKind } from "./types";

/**
 * Which workloads belong to a catalogue service, from its annotations (Backstage's Kubernetes plugin conventions
 * plus Slipway's explicit ones). Every value is validated here, before it can reach a cluster's API.
 */

export const ANNOTATIONS = {
  id: "backstage.io/kubernetes-id",
  selector: "backstage.io/kubernetes-label-selector",
  namespace: "backstage.io/kubernetes-namespace",
  kind: "slipway.io/workload-kind",
  name: "slipway.io/workload-name",
  workloadNamespace: "slipway.io/workload-namespace",
  container: "slipway.io/container",
} as const;

export type ServiceLike = { name: string; annotations?: Record<string, string> | null };

export type WorkloadTarget = {
  /** Readable, e.g. `label backstage.io/kubernetes-id=card-api in namespace cards`. */
  description: string;
  /** null: the cluster's configured namespaces, else all. */
  namespace: string | null;
  selector: LabelSelector | null;
  workload: { kind: WorkloadKind | null; name: string } | null;
  /** The container whose image is "the version"; null = `app` if present, else the first. */
  container: string | null;
};

function invalid(service: string, annotation: string, why: string): never {
  throw new ValidationError(`Service "${service}" has an invalid ${annotation} annotation: ${why}`);
}

/**
 * The service's workload target; null when it has no Kubernetes annotations. `byName` treats a service without
 * annotations as `backstage.io/kubernetes-id: <name>` (the catalogue list only knows names).
 */
export function resolveWorkloadTarget(service: ServiceLike, options: { byName?: boolean } = {}): WorkloadTarget | null {
  const a = service.annotations ?? {};
  const name = a[ANNOTATIONS.name]?.trim();
  const namespaceText = (a[ANNOTATIONS.workloadNamespace] ?? a[ANNOTATIONS.namespace])?.trim();
  const containerText = a[ANNOTATIONS.container]?.trim();
  let namespace: string | null = null;
  if (namespaceText) {
    if (!isDns1123Label(namespaceText)) invalid(service.name, ANNOTATIONS.namespace, `"${namespaceText}" is not a namespace name`);
    namespace = namespaceText;
  }
  let container: string | null = null;
  if (containerText) {
    if (!isDns1123Label(containerText)) invalid(service.name, ANNOTATIONS.container, `"${containerText}" is not a container name`);
    container = containerText;
  }
  const where = namespace ? ` in namespace ${namespace}` : "";

  if (name) {
    if (!isDns1123Subdomain(name)) invalid(service.name, ANNOTATIONS.name, `"${name}" is not a Kubernetes object name`);
    const kindText = a[ANNOTATIONS.kind]?.trim();
    let kind: WorkloadKind | null = null;
    if (kindText) {
      if (kindText !== "Deployment" && kindText !== "Rollout") invalid(service.name, ANNOTATIONS.kind, `use Deployment or Rollout, not "${kindText}"`);
      kind = kindText;
    }
    return { description: `${kind ?? "workload"} ${name}${where}`, namespace, selector: null, workload: { kind, name }, container };
  }

  const selectorText = a[ANNOTATIONS.selector]?.trim();
  if (selectorText) {
    try {
      const selector = parseLabelSelector(selectorText);
      return { description: `label selector ${selector.text}${where}`, namespace, selector, workload: null, container };
    } catch (error) {
      invalid(service.name, ANNOTATIONS.selector, error instanceof LabelSelectorError ? error.message : "it cannot be parsed");
    }
  }

  const id = a[ANNOTATIONS.id]?.trim() || (options.byName ? service.name : "");
  if (!id) return null;
  try {
    const selector = parseLabelSelector(`${ANNOTATIONS.id}=${id}`);
    return { description: `label ${selector.text}${where}`, namespace, selector, workload: null, container };
  } catch {
    invalid(service.name, ANNOTATIONS.id, `"${id}" is not a valid label value`);
  }
}

/** The namespaces to look in on a cluster: the service's, else the cluster's configured ones, else all (null). */
export function namespacesFor(target: WorkloadTarget, clusterNamespaces: readonly string[] | null): Array<string | null> {
  if (target.namespace) return [target.namespace];
  return clusterNamespaces ? [...clusterNamespaces] : [null];
}

export function matchesTarget(
  target: WorkloadTarget,
  kind: WorkloadKind,
  workload: { metadata: { name: string; labels?: Record<string, string> | null | undefined } },
): boolean {
  if (target.workload) return workload.metadata.name === target.workload.name && (target.workload.kind === null || target.workload.kind === kind);
  return target.selector !== null && matchesLabels(target.selector, workload.metadata.labels);
}

/** The container that carries the service's version. */
export function versionContainer(target: WorkloadTarget | null, containers: string[]): string | null {
  if (target?.container && containers.includes(target.container)) return target.container;
  if (containers.includes("app")) return "app";
  return containers[0] ?? null;
}
