import "server-only";
import type { EventView, PodView, ReplicaSetView, WorkloadRef, WorkloadView } from "../cluster";

/** Who the cluster should see acting: the approving person, when the cluster impersonates. */
export type ActingAs = { user: string; groups: string[] } | undefined;

export type TargetObservation = {
  workload: WorkloadView;
  replicaSets: ReplicaSetView[];
  pods: PodView[];
  events: EventView[];
};

/**
 * What the release machinery needs of the clusters. It depends on this port, not on client-node; the adapter over
 * the cluster gateway implements it, and tests can pass the real gateway against the simulator.
 */
export interface RolloutBackend {
  /**
   * The workloads that run a service in an environment, across that environment's clusters: only those the service
   * owns (its squad's namespaces, labelled with its id). Whatever else its mapping matched comes back in `refused`.
   */
  resolveTargets(
    service: { name: string; team: string | null; annotations: Record<string, string> },
    environment: string,
  ): Promise<{
    targets: Array<WorkloadRef & { container: string }>;
    errors: Array<{ cluster: string; message: string }>;
    refused: Array<{ workload: string; reason: string }>;
  }>;
  observe(ref: WorkloadRef): Promise<TargetObservation | null>;
  setImage(ref: WorkloadRef, container: string, image: string, as: ActingAs): Promise<void>;
  promote(ref: WorkloadRef, options: { full: boolean }, as: ActingAs): Promise<void>;
  abort(ref: WorkloadRef, as: ActingAs): Promise<void>;
  retry(ref: WorkloadRef, as: ActingAs): Promise<void>;
  restart(ref: WorkloadRef, as: ActingAs): Promise<void>;
  setPaused(ref: WorkloadRef, paused: boolean, as: ActingAs): Promise<void>;
  /** Calls back when anything about these workloads may have changed (watch events), until unsubscribed. */
  subscribe(refs: WorkloadRef[], onChange: () => void): () => void;
}
