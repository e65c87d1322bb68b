import "server-only";
import { parseTime } from "./clock";
import type { EventRecorder } from "./events";
import { deepClone, deepEqual } from "./json";
import type { SeededRandom } from "./random";
import type { Registry } from "./registry";
import { PODS, REPLICASETS } from "./resources";
import { selectorMatches } from "./selectors";
import type { Store } from "./store";
import type { Condition, KubeObject, Pod, ReplicaSet } from "./types";

/** The ReplicaSet controller (pkg/controller/replicaset): keeps the number of pods and reports their state. */

const SOURCE = { component: "replicaset-controller" };

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  if (!ready) return false;
  if (minReadySeconds <= 0) return true;
  const since = parseTime(ready.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

export function availableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  const since = parseTime(ready?.lastTransitionTime);
  return since === undefined ? undefined : since + minReadySeconds * 1000;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePodsWithRanks ordering: the pods to delete first come first. */
function deletionOrder(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => parseTime(p.metadata.creationTimestamp) ?? 0;
  if (created(a) !== created(b)) return created(b) - created(a);
  return a.metadata.name < b.metadata.name ? 1 : -1;
}

export function podsOwnedBy(store: Store, owner: { metadata: { namespace?: string; uid: string } }, includeTerminating = false): Pod[] {
  return store
    .list<Pod>(PODS, owner.metadata.namespace)
    .filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid))
    .filter((p) => includeTerminating || !p.metadata.deletionTimestamp);
}

export class ReplicaSetController {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly events: EventRecorder,
    private readonly random: SeededRandom,
    private readonly wakeAt: (at: number) => void,
  ) {}

  reconcile(now: number): void {
    for (const rs of this.store.list<ReplicaSet>(REPLICASETS)) this.sync(rs, now);
  }

  private sync(rs: ReplicaSet, now: number): void {
    const pods = podsOwnedBy(this.store, rs);
    const desired = rs.spec.replicas ?? 1;
    const diff = pods.length - desired;
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) this.createPod(rs);
    } else if (diff > 0) {
      const victims = [...pods].sort(deletionOrder).slice(0, diff);
      for (const pod of victims) {
        this.registry.delete(PODS, pod.metadata.namespace, pod.metadata.name);
        this.events.normal(rs, "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    this.updateStatus(rs, now);
  }

  private createPod(rs: ReplicaSet): void {
    const template = deepClone(rs.spec.template);
    const name = `${rs.metadata.name}-${this.random.nameSuffix()}`;
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        ...(template.metadata ?? {}),
        name,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: template.spec ?? {},
      status: { phase: "Pending" },
    };
    delete pod.metadata.creationTimestamp;
    const created = this.registry.controllerCreate(PODS, pod);
    this.events.normal(rs, "SuccessfulCreate", `Created pod: ${created.metadata.name}`, SOURCE);
  }

  private updateStatus(rs: ReplicaSet, now: number): void {
    const current = this.store.get<ReplicaSet>(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
    if (!current) return;
    const pods = podsOwnedBy(this.store, current);
    const minReady = current.spec.minReadySeconds ?? 0;
    const templateLabels = current.spec.template.metadata?.labels ?? {};
    let available = 0;
    for (const p of pods) {
      if (isPodAvailable(p, minReady, now)) available++;
      else {
        const at = availableAt(p, minReady);
        if (at !== undefined) this.wakeAt(at + 1);
      }
    }
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) => selectorMatches({ matchLabels: templateLabels }, p.metadata.labels)).length,
      readyReplicas: pods.filter(isPodReady).length,
      availableReplicas: available,
      observedGeneration: current.metadata.generation ?? 1,
      ...(current.status?.conditions ? { conditions: current.status.conditions as Condition[] } : {}),
    };
    // The apiserver drops zero-valued optional counters from the JSON.
    const cleaned: Record<string, unknown> = { replicas: status.replicas };
    for (const [k, v] of Object.entries(status)) if (k !== "replicas" && v !== 0 && v !== undefined) cleaned[k] = v;
    if (deepEqual(cleaned, current.status)) return;
    const next = deepClone(current);
    next.status = cleaned;
    this.registry.controllerWrite(REPLICASETS, next, "status");
  }
}
