import "server-only";
import type { KubeDeployment, KubeEvent, KubePod, KubeReplicaSet, KubeRollout } from "./kube-objects";
import { argoRolloutStatus, deploymentRolloutStatus, type ArgoRolloutLike } from "./rollout-status";
import type { CanaryView, ContainerImage, EventView, PodView, ReplicaSetView, RolloutStatusView, WorkloadKind, WorkloadView } from "./types";

/** Maps validated Kubernetes objects to Slipway's views (the only shapes that leave server/cluster). */

export const DEPLOYMENT_REVISION = "deployment.kubernetes.io/revision";
export const ROLLOUT_REVISION = "rollout.argoproj.io/revision";
export const POD_TEMPLATE_HASH = "pod-template-hash";
export const ROLLOUT_POD_TEMPLATE_HASH = "rollouts-pod-template-hash";

const u = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** `registry/app:1.2.3@sha256:...` -> repository, tag and digest. */
export function parseImage(container: string, image: string): ContainerImage {
  const at = image.indexOf("@");
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    container,
    image,
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : null,
    digest,
  };
}

function templateImages(template: { spec: { containers: Array<{ name: string; image?: string | null | undefined }> } }): ContainerImage[] {
  return template.spec.containers.map((c) => parseImage(c.name, c.image ?? ""));
}

export function revisionOf(annotations: Record<string, string> | null | undefined): number | null {
  const raw = annotations?.[DEPLOYMENT_REVISION] ?? annotations?.[ROLLOUT_REVISION];
  const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : null;
}

type ConditionLike = {
  type: string;
  status: string;
  reason?: string | null | undefined;
  message?: string | null | undefined;
  lastTransitionTime?: string | null | undefined;
};

function conditionsOf(conditions: ConditionLike[] | null | undefined): WorkloadView["conditions"] {
  return (conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastTransitionTime: c.lastTransitionTime ?? null,
  }));
}

function deploymentStatus(d: KubeDeployment): RolloutStatusView {
  const progress = deploymentRolloutStatus({
    metadata: { name: d.metadata.name, generation: u(d.metadata.generation) },
    spec: { replicas: u(d.spec.replicas), paused: u(d.spec.paused) },
    status: {
      observedGeneration: u(d.status?.observedGeneration),
      replicas: u(d.status?.replicas),
      updatedReplicas: u(d.status?.updatedReplicas),
      availableReplicas: u(d.status?.availableReplicas),
      conditions: (d.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: u(c.reason), message: u(c.message) })),
    },
  });
  const waiting = (d.metadata.generation ?? 0) > (d.status?.observedGeneration ?? 0);
  const state = progress.failed ? "failed" : waiting ? "waiting" : progress.paused ? "paused" : progress.done ? "complete" : "progressing";
  return { state, message: progress.message };
}

export function rolloutLike(r: KubeRollout): ArgoRolloutLike {
  const s = r.status;
  return {
    metadata: { name: r.metadata.name, generation: u(r.metadata.generation) },
    spec: {
      replicas: u(r.spec.replicas),
      paused: u(r.spec.paused),
      restartAt: u(r.spec.restartAt),
      strategy: {
        canary: r.spec.strategy?.canary
          ? {
              steps: (r.spec.strategy.canary.steps ?? []).map((step) => ({
                ...step,
                setWeight: u(step.setWeight),
                pause: step.pause ? { duration: u(step.pause.duration) } : null,
              })),
              trafficRouting: r.spec.strategy.canary.trafficRouting,
            }
          : null,
        blueGreen: r.spec.strategy?.blueGreen ?? null,
      },
    },
    status: s
      ? {
          abort: u(s.abort),
          pauseConditions: (s.pauseConditions ?? []).map((p) => ({ reason: p.reason, startTime: u(p.startTime) })),
          controllerPause: u(s.controllerPause),
          currentStepIndex: u(s.currentStepIndex),
          currentPodHash: u(s.currentPodHash),
          stableRS: u(s.stableRS),
          observedGeneration: u(s.observedGeneration),
          phase: u(s.phase),
          message: u(s.message),
          restartedAt: u(s.restartedAt),
          replicas: u(s.replicas),
          updatedReplicas: u(s.updatedReplicas),
          readyReplicas: u(s.readyReplicas),
          availableReplicas: u(s.availableReplicas),
          conditions: (s.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: u(c.reason), message: u(c.message) })),
          ...(s.canary?.weights?.canary?.weight != null ? { canary: { weights: { canary: { weight: s.canary.weights.canary.weight } } } } : {}),
        }
      : {},
  };
}

function rolloutStatusAndCanary(r: KubeRollout): { status: RolloutStatusView; canary: CanaryView | null } {
  const progress = argoRolloutStatus(rolloutLike(r));
  const waiting = progress.message.includes("waiting for rollout spec update to be observed");
  const state = waiting ? "waiting" : progress.failed ? "failed" : progress.paused ? "paused" : progress.done ? "complete" : "progressing";
  const steps = r.spec.strategy?.canary?.steps;
  const canary: CanaryView | null = r.spec.strategy?.canary
    ? {
        currentStepIndex: r.status?.currentStepIndex ?? null,
        totalSteps: steps?.length ?? 0,
        weight: progress.setWeight,
        actualWeight: progress.actualWeight,
        pauseReasons: (r.status?.pauseConditions ?? []).map((p) => p.reason),
        aborted: r.status?.abort === true,
        phase: progress.phase,
        steps: (steps ?? []).map((step) =>
          step.setWeight != null
            ? { kind: "setWeight" as const, weight: step.setWeight }
            : step.pause
              ? { kind: "pause" as const, duration: step.pause.duration == null ? null : String(step.pause.duration) }
              : { kind: "other" as const },
        ),
      }
    : null;
  return { status: { state, message: progress.message }, canary };
}

export function toWorkloadView(cluster: string, kind: WorkloadKind, object: KubeDeployment | KubeRollout): WorkloadView {
  const meta = object.metadata;
  const status = object.status;
  const rollout = kind === "Rollout" ? rolloutStatusAndCanary(object as KubeRollout) : null;
  const observed = status?.observedGeneration;
  return {
    cluster,
    kind,
    namespace: meta.namespace ?? "",
    name: meta.name,
    uid: meta.uid ?? "",
    generation: meta.generation ?? 0,
    observedGeneration: observed == null ? null : Number.parseInt(String(observed), 10),
    paused: object.spec.paused === true,
    replicas: {
      desired: object.spec.replicas ?? 1,
      current: status?.replicas ?? 0,
      updated: status?.updatedReplicas ?? 0,
      ready: status?.readyReplicas ?? 0,
      available: status?.availableReplicas ?? 0,
    },
    images: templateImages(object.spec.template),
    revision: revisionOf(meta.annotations),
    status: rollout ? rollout.status : deploymentStatus(object as KubeDeployment),
    conditions: conditionsOf(status?.conditions),
    canary: rollout?.canary ?? null,
    selector: object.spec.selector.matchLabels ?? {},
    labels: { ...(meta.labels ?? {}) },
    createdAt: meta.creationTimestamp ?? null,
  };
}

export function podTemplateHashOf(labels: Record<string, string> | null | undefined): string | null {
  return labels?.[POD_TEMPLATE_HASH] ?? labels?.[ROLLOUT_POD_TEMPLATE_HASH] ?? null;
}

export function controllerOf(meta: KubeReplicaSet["metadata"]): { kind: string; name: string; uid: string } | null {
  const ref = (meta.ownerReferences ?? []).find((r) => r.controller === true);
  return ref ? { kind: ref.kind, name: ref.name, uid: ref.uid } : null;
}

export function toReplicaSetView(rs: KubeReplicaSet): ReplicaSetView {
  const owner = controllerOf(rs.metadata);
  return {
    name: rs.metadata.name,
    namespace: rs.metadata.namespace ?? "",
    revision: revisionOf(rs.metadata.annotations),
    podTemplateHash: podTemplateHashOf(rs.metadata.labels),
    images: templateImages(rs.spec.template),
    replicas: {
      desired: rs.spec.replicas ?? 1,
      current: rs.status?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      available: rs.status?.availableReplicas ?? 0,
    },
    ownerKind: owner?.kind ?? null,
    ownerName: owner?.name ?? null,
    createdAt: rs.metadata.creationTimestamp ?? null,
  };
}

/** The STATUS column of `kubectl get pods` (printers.printPod, without init containers). */
function podStatusColumn(pod: KubePod): string {
  let reason = pod.status?.reason || pod.status?.phase || "Unknown";
  const statuses = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const state = statuses[i]!.state;
    if (state?.waiting?.reason) reason = state.waiting.reason;
    else if (state?.terminated?.reason) reason = state.terminated.reason;
    else if (state?.terminated) reason = `ExitCode:${state.terminated.exitCode ?? 0}`;
    else if (statuses[i]!.ready && state?.running) hasRunning = true;
  }
  if (reason === "Completed" && hasRunning) reason = "Running";
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
}

export function toPodView(pod: KubePod): PodView {
  const statuses = pod.status?.containerStatuses ?? [];
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason ?? null;
  const terminated = statuses.find((s) => s.lastState?.terminated)?.lastState?.terminated ?? statuses.find((s) => s.state?.terminated)?.state?.terminated;
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? "",
    phase: pod.status?.phase ?? "Pending",
    status: podStatusColumn(pod),
    ready: statuses.length > 0 && statuses.every((s) => s.ready === true),
    containersReady: { ready: statuses.filter((s) => s.ready === true).length, total: pod.spec.containers.length },
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    node: pod.spec.nodeName ?? null,
    createdAt: pod.metadata.creationTimestamp ?? null,
    podTemplateHash: podTemplateHashOf(pod.metadata.labels),
    waitingReason: waiting,
    lastTermination: terminated
      ? { reason: terminated.reason ?? null, exitCode: terminated.exitCode ?? null, finishedAt: terminated.finishedAt ?? null }
      : null,
    images: pod.spec.containers.map((c) => {
      const image = parseImage(c.name, c.image ?? "");
      const imageID = byName.get(c.name)?.imageID ?? "";
      const digest = image.digest ?? /@(sha256:[a-f0-9]{64})$/.exec(imageID)?.[1] ?? null;
      return { ...image, digest };
    }),
  };
}

export function toEventView(event: KubeEvent): EventView {
  const created = event.metadata.creationTimestamp ?? null;
  return {
    type: event.type ?? "Normal",
    reason: event.reason ?? "",
    message: event.message ?? "",
    count: event.count ?? 1,
    firstSeen: event.firstTimestamp ?? event.eventTime ?? created,
    lastSeen: event.lastTimestamp ?? event.eventTime ?? created,
    involvedKind: event.involvedObject.kind ?? "",
    involvedName: event.involvedObject.name ?? "",
  };
}

/** Warnings first, then the most recent. */
export function compareEvents(a: EventView, b: EventView): number {
  if ((a.type === "Warning") !== (b.type === "Warning")) return a.type === "Warning" ? -1 : 1;
  return (b.lastSeen ?? "").localeCompare(a.lastSeen ?? "");
}
