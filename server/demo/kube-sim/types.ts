import "server-only";

/** Minimal shapes of the Kubernetes objects the simulator works on. Stored objects are plain JSON. */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A stored object: name, namespace, uid and resourceVersion are always present. */
export interface StoredObject extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; uid: string; resourceVersion: string; creationTimestamp: string };
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
}

export interface Container {
  name: string;
  image?: string;
  readinessProbe?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: { containers?: Container[]; initContainers?: Container[]; [key: string]: unknown };
}

export interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  minReadySeconds?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  [key: string]: unknown;
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  [key: string]: unknown;
}

export interface ReplicaSet extends StoredObject {
  spec: WorkloadSpec & { replicas: number; selector: LabelSelector; template: PodTemplateSpec };
  status?: ReplicaSetStatus;
}

export interface Deployment extends StoredObject {
  spec: WorkloadSpec & {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: {
      type?: string;
      rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
    };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    collisionCount?: number;
    conditions?: Condition[];
    [key: string]: unknown;
  };
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  [key: string]: unknown;
}

export interface Rollout extends StoredObject {
  spec: WorkloadSpec & {
    restartAt?: string;
    strategy?: {
      canary?: {
        steps?: CanaryStep[];
        maxSurge?: number | string;
        maxUnavailable?: number | string;
        trafficRouting?: unknown;
        [key: string]: unknown;
      };
      blueGreen?: unknown;
    };
  };
  status?: RolloutStatus;
}

export interface PauseCondition {
  reason: string;
  startTime: string;
}

export interface RolloutStatus {
  abort?: boolean;
  abortedAt?: string;
  pauseConditions?: PauseCondition[] | null;
  controllerPause?: boolean;
  currentStepIndex?: number;
  currentStepHash?: string;
  currentPodHash?: string;
  stableRS?: string;
  observedGeneration?: string;
  phase?: string;
  message?: string;
  promoteFull?: boolean;
  restartedAt?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  HPAReplicas?: number;
  selector?: string;
  conditions?: Condition[];
  canary?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt: string };
  terminated?: {
    exitCode: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    containerID?: string;
  };
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
  [key: string]: unknown;
}

export interface Pod extends StoredObject {
  spec: { containers: Container[]; nodeName?: string; [key: string]: unknown };
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    qosClass?: string;
    [key: string]: unknown;
  };
}

/** Image behaviours a test or the demo can ask for. */
export type ImageBehaviour = "ok" | "crashloop" | "never-ready";

export interface UserIdentity {
  user: string;
  groups?: string[];
}

export interface RbacSubject {
  kind: "User" | "Group";
  name: string;
}

/**
 * One RBAC grant: what the subjects may do. `namespaces` absent = cluster-wide (a ClusterRoleBinding), present =
 * only in those namespaces (RoleBindings). Resources may name subresources ("rollouts/status", "*\/status").
 */
export interface RbacRule {
  subjects: RbacSubject[];
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  namespaces?: string[];
  nonResourceURLs?: string[];
}
