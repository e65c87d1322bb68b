import "server-only";

/** The cluster module's public surface: the gateway, the registry of clusters, and the live runtime view. */

export type { ActingPerson, ActionOptions, ClusterGateway, ListScope, UndoResult, WatchEvent, WatchHandle } from "./gateway";
export type * from "./types";
export type * from "./runtime-types";
export { type KubeGatewayOptions } from "./kube-gateway";
export { clusterRegistry, forEachCluster, setClusterRegistry, type ClusterRegistry, type ClusterRegistryInput, type EnvironmentInfo } from "./cluster-registry";

export { type WatchHubOptions, type Snapshot } from "./watch-hub";
export { getServiceRuntime, runningVersions, type RuntimeService } from "./runtime";
export { serviceWorkloadIn, type ServiceWorkload } from "./service-workload";
export { runtimeEventStream, type RuntimeStreamOptions } from "./runtime-stream";
export { resolveWorkloadTarget, type ServiceLike, type WorkloadTarget } from "./workload-mapping";
export { mappingCheckFor, partitionByOwnership, serviceWorkloadId, type OwnedService, type OwnershipRules } from "./workload-ownership";
export { parseLabelSelector, type LabelSelector } from "./label-selector";

export {
  failedRollouts,
  loadRunningVersions,
  loadRunningVersionsWithin,
  maxVersionNames,
  unhealthyServices,
  type EnvironmentHealth,
  type ListedVersion,
  type ServiceVersions,
} from "./listed-versions";
