/**
 * The release module's views as the browser sees them (JSON over the API or props from a server component), from
 * the releases and cluster contracts: the server declares them once.
 */
import type { LiveRollout } from "@/server/releases/contract";

export type {
  CheckpointView,
  EnvironmentStatus,
  Evidence,
  FreezeView,
  InboxItem,
  LiveRollout,
  ReleaseView,
  RolloutState,
  RolloutTargetView,
  RolloutView,
  WorkloadAction,
} from "@/server/releases/contract";
export type { CanaryView, EventView, PodView, ReplicaSetView, WorkloadView } from "@/server/cluster/contract";

export type TargetLive = LiveRollout["observations"][number];
