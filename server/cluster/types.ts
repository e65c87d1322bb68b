import "server-only";

/** Slipway's own view of what runs in a cluster. Raw Kubernetes objects never leave server/cluster. */

export type WorkloadKind = "Deployment" | "Rollout";

export type ContainerImage = { container: string; image: string; repository: string; tag: string | null; digest: string | null };

export type RolloutState = "complete" | "progressing" | "paused" | "failed" | "waiting";

export type RolloutStatusView = {
  state: RolloutState;
  /** kubectl's words, e.g. `Waiting for deployment "x" rollout to finish: 1 of 3 updated replicas are available...` */
  message: string;
};

export type CanaryView = {
  currentStepIndex: number | null;
  totalSteps: number;
  /** The canary weight in percent, from the last setWeight step reached. */
  weight: number | null;
  /** Share of available pods (or traffic, with traffic routing) on the canary, in percent. */
  actualWeight: number;
  pauseReasons: string[];
  aborted: boolean;
  phase: string | null;
  steps: Array<{ kind: "setWeight" | "pause" | "other"; weight?: number; duration?: string | null }>;
};

export type WorkloadView = {
  cluster: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  observedGeneration: number | null;
  paused: boolean;
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
  images: ContainerImage[];
  revision: number | null;
  status: RolloutStatusView;
  conditions: Array<{ type: string; status: string; reason: string | null; message: string | null; lastTransitionTime: string | null }>;
  canary: CanaryView | null;
  selector: Record<string, string>;
  /** The workload's own labels: `backstage.io/kubernetes-id` says which service it belongs to. */
  labels: Record<string, string>;
  createdAt: string | null;
};

export type ReplicaSetView = {
  name: string;
  namespace: string;
  revision: number | null;
  podTemplateHash: string | null;
  images: ContainerImage[];
  replicas: { desired: number; current: number; ready: number; available: number };
  ownerKind: string | null;
  ownerName: string | null;
  createdAt: string | null;
};

export type PodView = {
  name: string;
  namespace: string;
  phase: string;
  /** The STATUS column of `kubectl get pods`: Running, CrashLoopBackOff, Terminating, ... */
  status: string;
  ready: boolean;
  containersReady: { ready: number; total: number };
  restarts: number;
  node: string | null;
  createdAt: string | null;
  podTemplateHash: string | null;
  /** Why a container is not running, e.g. CrashLoopBackOff, ImagePullBackOff. */
  waitingReason: string | null;
  lastTermination: { reason: string | null; exitCode: number | null; finishedAt: string | null } | null;
  images: ContainerImage[];
};

export type EventView = {
  type: "Normal" | "Warning" | string;
  reason: string;
  message: string;
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  involvedKind: string;
  involvedName: string;
};

/** A failure of one cluster, shown where that cluster's data would be; the rest of the page still renders. */
export type ClusterError = { cluster: string; environment: string; status: number | null; message: string };

export type WorkloadRef = { cluster: string; kind: WorkloadKind; namespace: string; name: string; container?: string };
