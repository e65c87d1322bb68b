import "server-only";
import type { KubeObjectOf, WatchedResource } from "./kube-objects";
import type { LabelSelector } from "./label-selector";
import type { EventView, PodView, ReplicaSetView, WorkloadRef, WorkloadView } from "./types";

/**
 * Every cluster action goes through a ClusterGateway: one per configured cluster. The release work depends on
 * this interface, never on @kubernetes/client-node; tests pass real gateways pointed at the simulator.
 */

/** The person an action is done for. With `impersonate: true` the cluster's RBAC decides as this user. */
export type ActingPerson = { user: string; groups: string[] };

export type ActionOptions = { as?: ActingPerson | undefined };

/** Where to look: a namespace (null = every namespace the cluster config allows) and an optional selector. */
export type ListScope = { namespace?: string | null; selector?: LabelSelector | null };

export type WatchEvent<R extends WatchedResource> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: KubeObjectOf<R> }
  | { type: "BOOKMARK"; resourceVersion: string }
  | { type: "ERROR"; code: number | null; message: string };

/** A pod, and one of its containers (required when the pod has several). */
export type PodRef = { cluster: string; namespace: string; pod: string; container?: string | undefined };

export type PodLogOptions = ActionOptions & {
  /** The last N lines (default 500, at most 10,000). */
  tailLines?: number | undefined;
  /** Only lines of the last N seconds (client-node's readNamespacedPodLog has no sinceTime). */
  sinceSeconds?: number | undefined;
  /** The last terminated container's output: what a crash-looping container died of. */
  previous?: boolean | undefined;
  /** At most this many bytes (default 1 MiB). */
  limitBytes?: number | undefined;
};

/** One line a container wrote, with the time the container runtime recorded (RFC 3339, nanoseconds). */
export type PodLogLine = { time: string; text: string };

export interface WatchHandle {
  stop(): void;
}

export type UndoResult = {
  workload: WorkloadView;
  /** The revision the workload's template now comes from. */
  toRevision: number;
  /** kubectl's outcome line, e.g. `deployment.apps/card-api rolled back`. */
  message: string;
  skipped: boolean;
};

export interface ClusterGateway {
  readonly name: string;
  readonly environment: string;
  /** Namespaces the cluster config restricts Slipway to; null = all. */
  readonly namespaces: readonly string[] | null;
  readonly timeoutSeconds: number;
  readonly impersonate: boolean;

  listWorkloads(scope?: ListScope, options?: ActionOptions): Promise<WorkloadView[]>;
  getWorkload(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView>;
  listReplicaSets(scope?: ListScope, options?: ActionOptions): Promise<ReplicaSetView[]>;
  listPods(scope?: ListScope, options?: ActionOptions): Promise<PodView[]>;
  listEvents(scope?: ListScope, options?: ActionOptions): Promise<EventView[]>;
  /** `kubectl logs [--previous] [--tail=N] [--since=Ns] pod -c container`, oldest line first. */
  readPodLogs(ref: PodRef, options?: PodLogOptions): Promise<PodLogLine[]>;

  /** Strategic merge patch on a Deployment (keeps sidecars); JSON merge patch of the containers list on a Rollout. */
  setImage(ref: WorkloadRef, container: string, image: string, options?: ActionOptions): Promise<WorkloadView>;
  /** `kubectl rollout restart` / `kubectl argo rollouts restart`; a paused Deployment refuses. */
  restart(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView>;
  setPaused(ref: WorkloadRef, paused: boolean, options?: ActionOptions): Promise<WorkloadView>;
  /** `kubectl rollout undo [--to-revision=N]`. */
  undo(ref: WorkloadRef, toRevision?: number, options?: ActionOptions): Promise<UndoResult>;
  /** `kubectl argo rollouts promote [--full]`. */
  promote(ref: WorkloadRef, promotion: { full: boolean }, options?: ActionOptions): Promise<WorkloadView>;
  abort(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView>;
  retry(ref: WorkloadRef, options?: ActionOptions): Promise<WorkloadView>;

  /**
   * Low-level LIST for the watch hub: validated objects and the list's resourceVersion. `absent` when the cluster
   * does not serve the resource at all (no Argo Rollouts CRD).
   */
  listObjects<R extends WatchedResource>(resource: R, scope?: ListScope): Promise<{ items: Array<KubeObjectOf<R>>; resourceVersion: string; absent?: boolean }>;
  /** Low-level WATCH from a resourceVersion, with bookmarks. `onClose` runs once, with the error if any. */
  watchObjects<R extends WatchedResource>(
    resource: R,
    scope: { namespace: string | null; resourceVersion: string },
    onEvent: (event: WatchEvent<R>) => void,
    onClose: (error: unknown) => void,
  ): Promise<WatchHandle>;
}
