import { z } from "zod";

/**
 * What the browser may import about clusters: Slipway's own view of what runs (raw Kubernetes objects never leave
 * server/cluster), the Runtime tab's shapes and the running versions a list shows. The module's types derive from these.
 */

export const workloadKindSchema = z.enum(["Deployment", "Rollout"]);
export type WorkloadKind = z.infer<typeof workloadKindSchema>;

export const containerImageSchema = z.object({
  container: z.string(),
  image: z.string(),
  repository: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
});
export type ContainerImage = z.infer<typeof containerImageSchema>;

export const CLUSTER_ROLLOUT_STATES = ["complete", "progressing", "paused", "failed", "waiting"] as const;
export type RolloutState = (typeof CLUSTER_ROLLOUT_STATES)[number];

export const rolloutStatusViewSchema = z.object({
  state: z.enum(CLUSTER_ROLLOUT_STATES),
  /** kubectl's words, e.g. `Waiting for deployment "x" rollout to finish: 1 of 3 updated replicas are available...` */
  message: z.string(),
});
export type RolloutStatusView = z.infer<typeof rolloutStatusViewSchema>;

export const canaryViewSchema = z.object({
  currentStepIndex: z.number().nullable(),
  totalSteps: z.number(),
  /** The canary weight in percent, from the last setWeight step reached. */
  weight: z.number().nullable(),
  /** Share of available pods (or traffic, with traffic routing) on the canary, in percent. */
  actualWeight: z.number(),
  pauseReasons: z.array(z.string()),
  aborted: z.boolean(),
  phase: z.string().nullable(),
  steps: z.array(z.object({ kind: z.enum(["setWeight", "pause", "other"]), weight: z.number().optional(), duration: z.string().nullable().optional() })),
});
export type CanaryView = z.infer<typeof canaryViewSchema>;

export const workloadViewSchema = z.object({
  cluster: z.string(),
  kind: workloadKindSchema,
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  generation: z.number(),
  observedGeneration: z.number().nullable(),
  paused: z.boolean(),
  replicas: z.object({ desired: z.number(), current: z.number(), updated: z.number(), ready: z.number(), available: z.number() }),
  images: z.array(containerImageSchema),
  revision: z.number().nullable(),
  status: rolloutStatusViewSchema,
  conditions: z.array(
    z.object({
      type: z.string(),
      status: z.string(),
      reason: z.string().nullable(),
      message: z.string().nullable(),
      lastTransitionTime: z.string().nullable(),
    }),
  ),
  canary: canaryViewSchema.nullable(),
  selector: z.record(z.string(), z.string()),
  /** The workload's own labels: `backstage.io/kubernetes-id` says which service it belongs to. */
  labels: z.record(z.string(), z.string()),
  createdAt: z.string().nullable(),
});
export type WorkloadView = z.infer<typeof workloadViewSchema>;

export const replicaSetViewSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  revision: z.number().nullable(),
  podTemplateHash: z.string().nullable(),
  images: z.array(containerImageSchema),
  replicas: z.object({ desired: z.number(), current: z.number(), ready: z.number(), available: z.number() }),
  ownerKind: z.string().nullable(),
  ownerName: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type ReplicaSetView = z.infer<typeof replicaSetViewSchema>;

export const podViewSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  phase: z.string(),
  /** The STATUS column of `kubectl get pods`: Running, CrashLoopBackOff, Terminating, ... */
  status: z.string(),
  ready: z.boolean(),
  containersReady: z.object({ ready: z.number(), total: z.number() }),
  restarts: z.number(),
  node: z.string().nullable(),
  createdAt: z.string().nullable(),
  podTemplateHash: z.string().nullable(),
  /** Why a container is not running, e.g. CrashLoopBackOff, ImagePullBackOff. */
  waitingReason: z.string().nullable(),
  lastTermination: z.object({ reason: z.string().nullable(), exitCode: z.number().nullable(), finishedAt: z.string().nullable() }).nullable(),
  images: z.array(containerImageSchema),
});
export type PodView = z.infer<typeof podViewSchema>;

export const eventViewSchema = z.object({
  /** Normal or Warning (any other type Kubernetes adds is passed on). */
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  involvedKind: z.string(),
  involvedName: z.string(),
});
export type EventView = z.infer<typeof eventViewSchema>;

/** A failure of one cluster, shown where that cluster's data would be; the rest of the page still renders. */
export const clusterErrorSchema = z.object({ cluster: z.string(), environment: z.string(), status: z.number().nullable(), message: z.string() });
export type ClusterError = z.infer<typeof clusterErrorSchema>;

export const runningVersionSchema = z.object({
  container: z.string(),
  image: z.string(),
  repository: z.string(),
  tag: z.string().nullable(),
  /** From the image reference, else from the pods' imageID when the kubelet reported one. */
  digest: z.string().nullable(),
  /** Available pods running it. */
  pods: z.number(),
});
export type RunningVersion = z.infer<typeof runningVersionSchema>;

export const workloadRuntimeSchema = z.object({
  workload: workloadViewSchema,
  /** What most available pods run. */
  runningVersion: runningVersionSchema.nullable(),
  /** What the workload is rolling out, when it differs from the running version. */
  targetVersion: runningVersionSchema.nullable(),
  /** Newest revision first. */
  replicaSets: z.array(replicaSetViewSchema),
  pods: z.array(podViewSchema),
  /** Warnings first, then the most recent. */
  events: z.array(eventViewSchema),
});
export type WorkloadRuntime = z.infer<typeof workloadRuntimeSchema>;

export const clusterRuntimeSchema = z.object({
  cluster: z.string(),
  environment: z.string(),
  /** The namespaces looked in; null = all. */
  namespaces: z.array(z.string()).nullable(),
  workloads: z.array(workloadRuntimeSchema),
  error: clusterErrorSchema.nullable(),
  /** Workloads the service's mapping matched but that are not the service's (another squad's namespace, another id). */
  refused: z.array(z.object({ workload: z.string(), reason: z.string() })),
});
export type ClusterRuntime = z.infer<typeof clusterRuntimeSchema>;

export const environmentRuntimeSchema = z.object({ name: z.string(), title: z.string(), production: z.boolean(), clusters: z.array(clusterRuntimeSchema) });
export type EnvironmentRuntime = z.infer<typeof environmentRuntimeSchema>;

export const serviceRuntimeSchema = z.object({
  service: z.string(),
  /** How workloads were found, e.g. `label backstage.io/kubernetes-id=card-api in namespace cards`. */
  mapping: z.string().nullable(),
  /** Why no cluster was asked (invalid annotations). */
  mappingError: z.string().nullable(),
  environments: z.array(environmentRuntimeSchema),
  errors: z.array(clusterErrorSchema),
  observedAt: z.string(),
});
export type ServiceRuntime = z.infer<typeof serviceRuntimeSchema>;

export const environmentVersionSchema = z.object({
  image: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
  state: z.enum(CLUSTER_ROLLOUT_STATES),
  clusters: z.array(z.string()),
  /** Clusters or workloads of this environment run different images. */
  mixed: z.boolean(),
});
export type EnvironmentVersion = z.infer<typeof environmentVersionSchema>;

/** service name -> environment name -> running version (null: no workload found there). */
export type RunningVersions = Record<string, Record<string, EnvironmentVersion | null>>;

/**
 * How an environment of a service is doing now: `failing` when the last rollout that reached it failed (whatever the
 * workload still reports), `degraded` when the live workload reports a failed rollout by itself, `healthy` otherwise.
 */
export const ENVIRONMENT_HEALTH = ["healthy", "failing", "degraded"] as const;
export type EnvironmentHealth = (typeof ENVIRONMENT_HEALTH)[number];

/** What a list shows beside a service: the version each environment runs (null: nothing found there). */
export const listedVersionSchema = environmentVersionSchema.pick({ tag: true, image: true, state: true, mixed: true, clusters: true }).extend({
  health: z.enum(ENVIRONMENT_HEALTH),
  /** The version whose rollout failed there, when `failing`. */
  failedVersion: z.string().nullable(),
});
export type ListedVersion = z.infer<typeof listedVersionSchema>;

export const serviceVersionsSchema = z.object({
  /** The environments, in the configured order (so every row lists them the same way). */
  environments: z.array(z.object({ name: z.string(), title: z.string(), production: z.boolean() })),
  /** service name -> environment name -> version. */
  versions: z.record(z.string(), z.record(z.string(), listedVersionSchema.nullable())),
});
export type ServiceVersions = z.infer<typeof serviceVersionsSchema>;
