import "server-only";
import type { KubeDeployment, KubeEvent, KubePod, KubeReplicaSet, KubeRollout } from "./kube-objects";
import type { RunningVersion, WorkloadRuntime } from "./runtime-types";
import type { WorkloadKind } from "./types";
import { matchesTarget, versionContainer, type WorkloadTarget } from "./workload-mapping";
import {
  compareEvents,
  controllerOf,
  parseImage,
  podTemplateHashOf,
  revisionOf,
  toEventView,
  toPodView,
  toReplicaSetView,
  toWorkloadView,
} from "./workload-views";

/** Assembles a service's workloads in one cluster from cached objects: pure, so it costs no request. */

export type ClusterObjects = {
  deployments: KubeDeployment[];
  rollouts: KubeRollout[];
  replicasets: KubeReplicaSet[];
  pods: KubePod[];
  events: KubeEvent[];
};

const MAX_EVENTS = 25;
const MAX_OLD_REPLICASETS = 5;

type Workload = { kind: WorkloadKind; object: KubeDeployment | KubeRollout };

export function matchingWorkloads(target: WorkloadTarget, objects: Pick<ClusterObjects, "deployments" | "rollouts">): Workload[] {
  return [
    ...objects.deployments.map((object) => ({ kind: "Deployment" as const, object })),
    ...objects.rollouts.map((object) => ({ kind: "Rollout" as const, object })),
  ]
    .filter((w) => matchesTarget(target, w.kind, w.object))
    .sort((a, b) => `${a.object.metadata.namespace}/${a.object.metadata.name}`.localeCompare(`${b.object.metadata.namespace}/${b.object.metadata.name}`));
}

export function ownedReplicaSets(workload: Workload, replicaSets: KubeReplicaSet[]): KubeReplicaSet[] {
  return replicaSets
    .filter((rs) => controllerOf(rs.metadata)?.uid === workload.object.metadata.uid && rs.metadata.namespace === workload.object.metadata.namespace)
    .sort((a, b) => (revisionOf(b.metadata.annotations) ?? 0) - (revisionOf(a.metadata.annotations) ?? 0));
}

function versionOf(template: KubeReplicaSet["spec"]["template"], container: string, pods: number, podsOfTemplate: KubePod[]): RunningVersion | null {
  const c = template.spec.containers.find((x) => x.name === container);
  if (!c?.image) return null;
  const image = parseImage(container, c.image);
  let digest = image.digest;
  if (!digest) {
    for (const pod of podsOfTemplate) {
      const id = pod.status?.containerStatuses?.find((s) => s.name === container)?.imageID ?? "";
      const m = /@(sha256:[a-f0-9]{64})$/.exec(id);
      if (m) {
        digest = m[1]!;
        break;
      }
    }
  }
  return { container, image: image.image, repository: image.repository, tag: image.tag, digest, pods };
}

/**
 * The running version is the ReplicaSet with the most available pods (the newer on a tie); while nothing is
 * available, the workload's own template. The target is the template's version when it differs.
 */
export function versionsOf(
  workload: Workload,
  replicaSets: KubeReplicaSet[],
  pods: KubePod[],
  target: WorkloadTarget | null,
): { running: RunningVersion | null; target: RunningVersion | null } {
  const containers = workload.object.spec.template.spec.containers.map((c) => c.name);
  const container = versionContainer(target, containers);
  if (!container) return { running: null, target: null };
  const podsOf = (rs: KubeReplicaSet) => {
    const hash = podTemplateHashOf(rs.metadata.labels);
    return pods.filter((p) => podTemplateHashOf(p.metadata.labels) === hash && controllerOf(p.metadata)?.uid === rs.metadata.uid);
  };
  let best: KubeReplicaSet | undefined;
  for (const rs of replicaSets) {
    const available = rs.status?.availableReplicas ?? 0;
    if (available > 0 && (!best || available > (best.status?.availableReplicas ?? 0))) best = rs;
  }
  const templateVersion = versionOf(workload.object.spec.template, container, 0, []);
  const running = best ? versionOf(best.spec.template, container, best.status?.availableReplicas ?? 0, podsOf(best)) : templateVersion;
  const newest = replicaSets[0];
  const desired =
    templateVersion && newest && newest.spec.template.spec.containers.find((c) => c.name === container)?.image === templateVersion.image
      ? versionOf(newest.spec.template, container, newest.status?.availableReplicas ?? 0, podsOf(newest))
      : templateVersion;
  return { running, target: desired && running && desired.image !== running.image ? desired : null };
}

export function buildWorkloadRuntimes(cluster: string, target: WorkloadTarget, objects: ClusterObjects): WorkloadRuntime[] {
  return matchingWorkloads(target, objects).map((workload) => {
    const replicaSets = ownedReplicaSets(workload, objects.replicasets);
    const rsUids = new Set(replicaSets.map((rs) => rs.metadata.uid));
    const pods = objects.pods
      .filter((p) => rsUids.has(controllerOf(p.metadata)?.uid ?? "") && p.metadata.namespace === workload.object.metadata.namespace)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const involved = new Set<string>([`${workload.kind}/${workload.object.metadata.name}`]);
    for (const rs of replicaSets) involved.add(`ReplicaSet/${rs.metadata.name}`);
    for (const p of pods) involved.add(`Pod/${p.metadata.name}`);
    const events = objects.events
      .filter((e) => e.metadata.namespace === workload.object.metadata.namespace && involved.has(`${e.involvedObject.kind}/${e.involvedObject.name}`))
      .map(toEventView)
      .sort(compareEvents)
      .slice(0, MAX_EVENTS);
    const versions = versionsOf(workload, replicaSets, pods, target);
    const shown = replicaSets.filter((rs, i) => i <= MAX_OLD_REPLICASETS || (rs.status?.replicas ?? 0) > 0 || (rs.spec.replicas ?? 0) > 0);
    const rsRevision = new Map(replicaSets.map((rs) => [rs.metadata.uid, revisionOf(rs.metadata.annotations) ?? 0]));
    return {
      workload: toWorkloadView(cluster, workload.kind, workload.object),
      runningVersion: versions.running,
      targetVersion: versions.target,
      replicaSets: shown.map(toReplicaSetView),
      pods: pods
        .sort((a, b) => (rsRevision.get(controllerOf(b.metadata)?.uid ?? "") ?? 0) - (rsRevision.get(controllerOf(a.metadata)?.uid ?? "") ?? 0))
        .map(toPodView),
      events,
    };
  });
}
