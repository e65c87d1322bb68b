/**
 * The release module's views as the browser sees them (JSON over the API or props from a server component).
 * Type-only imports: nothing of the server module reaches the client bundle.
 */
import type { LiveRollout, TargetObservation } from "@/server/releases";

export type {
  ApprovalView,
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
  TargetObservation,
} from "@/server/releases";

export type WorkloadView = TargetObservation["workload"];
export type ReplicaSetView = TargetObservation["replicaSets"][number];
export type PodView = TargetObservation["pods"][number];
export type EventView = TargetObservation["events"][number];
export type CanaryView = NonNullable<WorkloadView["canary"]>;
export type TargetLive = LiveRollout["observations"][number];

export type WorkloadAction = "restart" | "pause" | "resume" | "abort" | "retry" | "promote-full";
