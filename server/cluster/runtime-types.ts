import "server-only";
import type { ClusterError, EventView, PodView, ReplicaSetView, RolloutState, WorkloadView } from "./types";

/** What the Runtime tab and the catalogue list show about a service's workloads. */

export type RunningVersion = {
  container: string;
  image: string;
  repository: string;
  tag: string | null;
  /** From the image reference, else from the pods' imageID when the kubelet reported one. */
  digest: string | null;
  /** Available pods running it. */
  pods: number;
};

export type WorkloadRuntime = {
  workload: WorkloadView;
  /** What most available pods run. */
  runningVersion: RunningVersion | null;
  /** What the workload is rolling out, when it differs from the running version. */
  targetVersion: RunningVersion | null;
  /** Newest revision first. */
  replicaSets: ReplicaSetView[];
  pods: PodView[];
  /** Warnings first, then the most recent. */
  events: EventView[];
};

export type ClusterRuntime = {
  cluster: string;
  environment: string;
  /** The namespaces looked in; null = all. */
  namespaces: string[] | null;
  workloads: WorkloadRuntime[];
  error: ClusterError | null;
  /** Workloads the service's mapping matched but that are not the service's (another squad's namespace, another id). */
  refused: Array<{ workload: string; reason: string }>;
};

export type EnvironmentRuntime = { name: string; title: string; production: boolean; clusters: ClusterRuntime[] };

export type ServiceRuntime = {
  service: string;
  /** How workloads were found, e.g. `label backstage.io/kubernetes-id=card-api in namespace cards`. */
  mapping: string | null;
  /** Why no cluster was asked (invalid annotations). */
  mappingError: string | null;
  environments: EnvironmentRuntime[];
  errors: ClusterError[];
  observedAt: string;
};

export type EnvironmentVersion = {
  image: string;
  tag: string | null;
  digest: string | null;
  state: RolloutState;
  clusters: string[];
  /** Clusters or workloads of this environment run different images. */
  mixed: boolean;
};

/** service name -> environment name -> running version (null: no workload found there). */
export type RunningVersions = Record<string, Record<string, EnvironmentVersion | null>>;
