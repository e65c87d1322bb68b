import "server-only";
import { z } from "zod";

/**
 * The parts of Kubernetes objects Slipway reads, validated at the edge. Schemas are loose (unknown fields are
 * kept) so a ReplicaSet's pod template can be written back whole by `undo`; nothing here leaves server/cluster.
 */

const stringMap = z.record(z.string(), z.string());
const time = z.string().nullish();

export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: time,
  deletionTimestamp: time,
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  ownerReferences: z
    .array(z.looseObject({ apiVersion: z.string().optional(), kind: z.string(), name: z.string(), uid: z.string(), controller: z.boolean().nullish() }))
    .nullish(),
});

const containerSchema = z.looseObject({ name: z.string(), image: z.string().nullish() });

export const podTemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: stringMap.nullish(), annotations: stringMap.nullish() }).nullish(),
  spec: z.looseObject({ containers: z.array(containerSchema) }),
});

const selectorSchema = z.looseObject({
  matchLabels: stringMap.nullish(),
  matchExpressions: z.array(z.looseObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() })).nullish(),
});

const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  lastTransitionTime: time,
  lastUpdateTime: time,
});

export const deploymentSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    replicas: z.number().nullish(),
    paused: z.boolean().nullish(),
    selector: selectorSchema,
    template: podTemplateSchema,
  }),
  status: z
    .looseObject({
      observedGeneration: z.number().nullish(),
      replicas: z.number().nullish(),
      updatedReplicas: z.number().nullish(),
      readyReplicas: z.number().nullish(),
      availableReplicas: z.number().nullish(),
      conditions: z.array(conditionSchema).nullish(),
    })
    .nullish(),
});

const canaryStepSchema = z.looseObject({
  setWeight: z.number().nullish(),
  pause: z.looseObject({ duration: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

export const rolloutSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    replicas: z.number().nullish(),
    paused: z.boolean().nullish(),
    restartAt: z.string().nullish(),
    selector: selectorSchema,
    template: podTemplateSchema,
    strategy: z
      .looseObject({
        canary: z.looseObject({ steps: z.array(canaryStepSchema).nullish(), trafficRouting: z.unknown().optional() }).nullish(),
        blueGreen: z.looseObject({}).nullish(),
      })
      .nullish(),
  }),
  status: z
    .looseObject({
      abort: z.boolean().nullish(),
      pauseConditions: z.array(z.looseObject({ reason: z.string(), startTime: time })).nullish(),
      controllerPause: z.boolean().nullish(),
      currentStepIndex: z.number().nullish(),
      currentPodHash: z.string().nullish(),
      stableRS: z.string().nullish(),
      observedGeneration: z.union([z.string(), z.number()]).nullish(),
      phase: z.string().nullish(),
      message: z.string().nullish(),
      restartedAt: z.string().nullish(),
      replicas: z.number().nullish(),
      updatedReplicas: z.number().nullish(),
      readyReplicas: z.number().nullish(),
      availableReplicas: z.number().nullish(),
      conditions: z.array(conditionSchema).nullish(),
      canary: z.looseObject({ weights: z.looseObject({ canary: z.looseObject({ weight: z.number().nullish() }).nullish() }).nullish() }).nullish(),
    })
    .nullish(),
});

export const replicaSetSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({ replicas: z.number().nullish(), selector: selectorSchema.nullish(), template: podTemplateSchema }),
  status: z.looseObject({ replicas: z.number().nullish(), readyReplicas: z.number().nullish(), availableReplicas: z.number().nullish() }).nullish(),
});

const containerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: z.string().nullish(), message: z.string().nullish() }).nullish(),
  running: z.looseObject({ startedAt: time }).nullish(),
  terminated: z.looseObject({ exitCode: z.number().nullish(), reason: z.string().nullish(), finishedAt: time, startedAt: time }).nullish(),
});

export const podSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({ nodeName: z.string().nullish(), containers: z.array(containerSchema) }),
  status: z
    .looseObject({
      phase: z.string().nullish(),
      reason: z.string().nullish(),
      startTime: time,
      containerStatuses: z
        .array(
          z.looseObject({
            name: z.string(),
            image: z.string().nullish(),
            imageID: z.string().nullish(),
            ready: z.boolean().nullish(),
            restartCount: z.number().nullish(),
            state: containerStateSchema.nullish(),
            lastState: containerStateSchema.nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

export const eventSchema = z.looseObject({
  metadata: objectMetaSchema,
  involvedObject: z.looseObject({ kind: z.string().nullish(), name: z.string().nullish(), namespace: z.string().nullish(), uid: z.string().nullish() }),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
  count: z.number().nullish(),
  firstTimestamp: time,
  lastTimestamp: time,
  eventTime: time,
});

export type KubeDeployment = z.infer<typeof deploymentSchema>;
export type KubeRollout = z.infer<typeof rolloutSchema>;
export type KubeReplicaSet = z.infer<typeof replicaSetSchema>;
export type KubePod = z.infer<typeof podSchema>;
export type KubeEvent = z.infer<typeof eventSchema>;
export type KubePodTemplate = z.infer<typeof podTemplateSchema>;

/** The resource types Slipway lists and watches. */
export const watchedResources = ["deployments", "rollouts", "replicasets", "pods", "events"] as const;
export type WatchedResource = (typeof watchedResources)[number];

export type KubeObjectOf<R extends WatchedResource> = {
  deployments: KubeDeployment;
  rollouts: KubeRollout;
  replicasets: KubeReplicaSet;
  pods: KubePod;
  events: KubeEvent;
}[R];

const schemas: { [R in WatchedResource]: z.ZodType<KubeObjectOf<R>> } = {
  deployments: deploymentSchema,
  rollouts: rolloutSchema,
  replicasets: replicaSetSchema,
  pods: podSchema,
  events: eventSchema,
};

/** Validates one object from a list or a watch event; null when it does not have the shape Slipway relies on. */
export function parseKubeObject<R extends WatchedResource>(resource: R, raw: unknown): KubeObjectOf<R> | null {
  const parsed = schemas[resource].safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Typed client-node models carry Date objects; the JSON round trip gives the wire form watches deliver. */
export function toWireForm(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

export function objectKey(o: { metadata: { name: string; namespace?: string | undefined } }): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}
