import "server-only";
import type { AppsV1Api, ConfigurationOptions, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import type { WatchedResource } from "./kube-objects";

/** Where each watched resource lives in the Kubernetes API, and how client-node lists it. */

export const ROLLOUT_API = { group: "argoproj.io", version: "v1alpha1", plural: "rollouts" } as const;

export type KubeApis = { apps: AppsV1Api; core: CoreV1Api; custom: CustomObjectsApi };

type RawList = { items?: unknown[]; metadata?: { resourceVersion?: string } };

export function watchPath(resource: WatchedResource, namespace: string | null): string {
  const ns = namespace === null ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
  switch (resource) {
    case "deployments":
    case "replicasets":
      return `/apis/apps/v1${ns}/${resource}`;
    case "pods":
    case "events":
      return `/api/v1${ns}/${resource}`;
    case "rollouts":
      return `/apis/${ROLLOUT_API.group}/${ROLLOUT_API.version}${ns}/${ROLLOUT_API.plural}`;
  }
}

/** One LIST call; `labelSelector` must already be validated and canonical. */
export async function listResource(
  apis: KubeApis,
  resource: WatchedResource,
  namespace: string | null,
  labelSelector: string | undefined,
  options: ConfigurationOptions,
): Promise<RawList> {
  const selector = labelSelector ? { labelSelector } : {};
  switch (resource) {
    case "deployments":
      return namespace === null
        ? apis.apps.listDeploymentForAllNamespaces(selector, options)
        : apis.apps.listNamespacedDeployment({ namespace, ...selector }, options);
    case "replicasets":
      return namespace === null
        ? apis.apps.listReplicaSetForAllNamespaces(selector, options)
        : apis.apps.listNamespacedReplicaSet({ namespace, ...selector }, options);
    case "pods":
      return namespace === null ? apis.core.listPodForAllNamespaces(selector, options) : apis.core.listNamespacedPod({ namespace, ...selector }, options);
    case "events":
      return namespace === null ? apis.core.listEventForAllNamespaces(selector, options) : apis.core.listNamespacedEvent({ namespace, ...selector }, options);
    case "rollouts":
      return (
        namespace === null
          ? apis.custom.listClusterCustomObject({ ...ROLLOUT_API, ...selector }, options)
          : apis.custom.listNamespacedCustomObject({ ...ROLLOUT_API, namespace, ...selector }, options)
      ) as Promise<RawList>;
  }
}
