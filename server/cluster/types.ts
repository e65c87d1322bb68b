import "server-only";

/** Slipway's own view of what runs in a cluster, declared in contract.ts so the browser shares it. */
export type {
  CanaryView,
  ClusterError,
  ContainerImage,
  EventView,
  PodView,
  ReplicaSetView,
  RolloutState,
  RolloutStatusView,
  WorkloadKind,
  WorkloadView,
} from "./contract";
import type { WorkloadKind } from "./contract";

export type WorkloadRef = { cluster: string; kind: WorkloadKind; namespace: string; name: string; container?: string };
