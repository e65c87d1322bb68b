import "server-only";
import { formatTime, parseTime } from "./clock";
import type { EventRecorder } from "./events";
import { computePodTemplateHash } from "./hash";
import { deepClone, deepEqual } from "./json";
import type { Registry } from "./registry";
import { availableReplicas, byCreation, equalIgnoreHash, readyReplicas, resolveFenceposts, revisionOf, specReplicas, statusReplicas } from "./replica-math";
import { podsOwnedBy } from "./replicaset-controller";
import { DEPLOYMENTS, REPLICASETS } from "./resources";
import type { Store } from "./store";
import type { Condition, Deployment, KubeObject, ReplicaSet } from "./types";

/**
 * The Deployment controller (pkg/controller/deployment), ported closely: ReplicaSet per pod template, revision
 * bookkeeping (a reused ReplicaSet gets the next revision), rolling updates bounded by maxSurge/maxUnavailable,
 * proportional scaling, pause, progress deadline, and the status and conditions kubectl reads.
 */

export const REVISION = "deployment.kubernetes.io/revision";
const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
const HASH_LABEL = "pod-template-hash";
const SKIP_ANNOTATIONS = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  "deprecated.deployment.rollback.to",
]);
const SOURCE = { component: "deployment-controller" };

export const Reason = {
  NewRSAvailable: "NewReplicaSetAvailable",
  TimedOut: "ProgressDeadlineExceeded",
  NewReplicaSet: "NewReplicaSetCreated",
  FoundNewRS: "FoundNewReplicaSet",
  ReplicaSetUpdated: "ReplicaSetUpdated",
  Paused: "DeploymentPaused",
  Resumed: "DeploymentResumed",
  MinimumReplicasAvailable: "MinimumReplicasAvailable",
  MinimumReplicasUnavailable: "MinimumReplicasUnavailable",
} as const;

function isRolling(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

export function maxSurge(d: Deployment): number {
  if (!isRolling(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, d.spec.replicas).surge;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRolling(d) || d.spec.replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, d.spec.replicas);
  return Math.min(unavailable, d.spec.replicas);
}

function getCondition(status: Deployment["status"], type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

function newCondition(type: string, status: Condition["status"], reason: string, message: string, now: number): Condition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** SetDeploymentCondition: same status and reason = no change; same status keeps lastTransitionTime. */
function setCondition(status: NonNullable<Deployment["status"]>, condition: Condition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

function removeCondition(status: NonNullable<Deployment["status"]>, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, status: NonNullable<Deployment["status"]>): boolean {
  const r = d.spec.replicas;
  return (
    status.updatedReplicas === r && status.replicas === r && status.availableReplicas === r && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

export class DeploymentController {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly events: EventRecorder,
    private readonly wakeAt: (at: number) => void,
  ) {}

  reconcile(now: number): void {
    for (const d of this.store.list<Deployment>(DEPLOYMENTS)) this.sync(d.metadata.namespace ?? "", d.metadata.name, now);
  }

  private current(namespace: string, name: string): Deployment | undefined {
    const d = this.store.get<Deployment>(DEPLOYMENTS, namespace, name);
    return d ? deepClone(d) : undefined;
  }

  private replicaSetsOf(d: Deployment): ReplicaSet[] {
    return this.store
      .list<ReplicaSet>(REPLICASETS, d.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid) && !rs.metadata.deletionTimestamp)
      .map((rs) => deepClone(rs))
      .sort(byCreation);
  }

  private writeStatus(d: Deployment): Deployment {
    return deepClone(this.registry.controllerWrite<Deployment>(DEPLOYMENTS, d, "status"));
  }

  private sync(namespace: string, name: string, now: number): void {
    let d = this.current(namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    d = this.checkPausedConditions(d, now);
    if (d.spec.paused) return this.syncScaleOrPaused(d, now);
    if (this.isScalingEvent(d, now)) return this.syncScaleOrPaused(this.current(namespace, name) ?? d, now);
    d = this.current(namespace, name) ?? d;
    if (isRolling(d)) this.rolloutRolling(d, now);
    else this.rolloutRecreate(d, now);
  }

  private checkPausedConditions(d: Deployment, now: number): Deployment {
    if (d.spec.progressDeadlineSeconds === undefined) return d;
    const cond = getCondition(d.status, "Progressing");
    if (cond?.reason === Reason.TimedOut) return d;
    const pausedCondExists = cond?.reason === Reason.Paused;
    const status = deepClone(d.status ?? {});
    if (d.spec.paused && !pausedCondExists) setCondition(status, newCondition("Progressing", "Unknown", Reason.Paused, "Deployment is paused", now));
    else if (!d.spec.paused && pausedCondExists) setCondition(status, newCondition("Progressing", "Unknown", Reason.Resumed, "Deployment is resumed", now));
    else return d;
    return this.writeStatus({ ...d, status });
  }

  /** getAllReplicaSetsAndSyncRevision + getNewReplicaSet. Returns the (possibly updated) deployment too. */
  private getAllReplicaSetsAndSyncRevision(
    d: Deployment,
    createIfNotExisted: boolean,
    now: number,
  ): { d: Deployment; newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
    const rsList = this.replicaSetsOf(d);
    const existing = rsList.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const maxOldRevision = Math.max(0, ...oldRSs.map((rs) => revisionOf(rs, REVISION)));
    const newRevision = String(maxOldRevision + 1);

    if (existing) {
      const rsCopy = deepClone(existing);
      const annotationsUpdated = this.setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyChanged = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadyChanged) {
        if (d.spec.minReadySeconds !== undefined) rsCopy.spec.minReadySeconds = d.spec.minReadySeconds;
        else delete rsCopy.spec.minReadySeconds;
        const updated = deepClone(this.registry.controllerWrite<ReplicaSet>(REPLICASETS, rsCopy, "spec"));
        return { d, newRS: updated, oldRSs };
      }
      let needsUpdate = this.setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION] ?? newRevision);
      const cond = getCondition(d.status, "Progressing");
      if (d.spec.progressDeadlineSeconds !== undefined && !cond) {
        d.status = d.status ?? {};
        setCondition(d.status, newCondition("Progressing", "True", Reason.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) d = this.writeStatus(d);
      return { d, newRS: rsCopy, oldRSs };
    }
    if (!createIfNotExisted) return { d, oldRSs };

    const hash = computePodTemplateHash(d.spec.template, d.status?.collisionCount);
    const template = deepClone(d.spec.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
    const selector = deepClone(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        uid: "",
        resourceVersion: "",
        creationTimestamp: "",
        labels: template.metadata.labels,
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: { replicas: 0, ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    const newReplicas = this.newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = newReplicas;
    this.setNewReplicaSetAnnotations(d, rs, newRevision, false);
    if (this.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name)) {
      // A hash collision with a ReplicaSet this Deployment does not own: bump collisionCount and retry.
      d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      d = this.writeStatus(d);
      return { d, oldRSs };
    }
    const meta = { ...rs.metadata } as KubeObject["metadata"];
    delete meta.uid;
    delete meta.resourceVersion;
    delete meta.creationTimestamp;
    const created = deepClone(this.registry.controllerCreate<ReplicaSet>(REPLICASETS, { ...rs, metadata: meta } as KubeObject));
    if (newReplicas > 0) this.events.normal(d, "ScalingReplicaSet", `Scaled up replica set ${created.metadata.name} to ${newReplicas}`, SOURCE);
    this.setDeploymentRevision(d, newRevision);
    if (d.spec.progressDeadlineSeconds !== undefined) {
      d.status = d.status ?? {};
      setCondition(d.status, newCondition("Progressing", "True", Reason.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
    }
    d = this.writeStatus(d);
    return { d, newRS: created, oldRSs };
  }

  private setDeploymentRevision(d: Deployment, revision: string): boolean {
    const annotations = { ...(d.metadata.annotations ?? {}) };
    if (annotations[REVISION] === revision) return false;
    annotations[REVISION] = revision;
    d.metadata.annotations = annotations;
    return true;
  }

  private setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
    let changed = false;
    const annotations = { ...(rs.metadata.annotations ?? {}) };
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
      if (SKIP_ANNOTATIONS.has(k)) continue;
      if (annotations[k] !== v) {
        annotations[k] = v;
        changed = true;
      }
    }
    const oldRevision = annotations[REVISION];
    const oldInt = Number.parseInt(oldRevision ?? "0", 10) || 0;
    const newInt = Number.parseInt(newRevision, 10);
    if (oldInt < newInt) {
      annotations[REVISION] = newRevision;
      changed = true;
      if (oldRevision !== undefined) {
        const history = annotations[REVISION_HISTORY];
        annotations[REVISION_HISTORY] = history ? `${history},${oldRevision}` : oldRevision;
      }
    }
    if (!exists) {
      annotations[DESIRED_REPLICAS] = String(d.spec.replicas);
      annotations[MAX_REPLICAS] = String(d.spec.replicas + maxSurge(d));
      changed = true;
    }
    rs.metadata.annotations = annotations;
    return changed;
  }

  /** NewRSNewReplicas. */
  private newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
    if (!isRolling(d)) return d.spec.replicas;
    const current = specReplicas(allRSs);
    const maxTotal = d.spec.replicas + maxSurge(d);
    if (current >= maxTotal) return newRS.spec.replicas;
    const scaleUp = Math.min(maxTotal - current, d.spec.replicas - newRS.spec.replicas);
    return newRS.spec.replicas + Math.max(0, scaleUp);
  }

  /** scaleReplicaSetAndRecordEvent. Returns whether the size changed. */
  private scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation?: string): boolean {
    const sizeNeedsUpdate = rs.spec.replicas !== newScale;
    const desired = String(d.spec.replicas);
    const max = String(d.spec.replicas + maxSurge(d));
    const annotationsNeedUpdate = rs.metadata.annotations?.[DESIRED_REPLICAS] !== desired || rs.metadata.annotations?.[MAX_REPLICAS] !== max;
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    const oldScale = rs.spec.replicas;
    const copy = deepClone(rs);
    copy.spec.replicas = newScale;
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max };
    const stored = this.registry.controllerWrite<ReplicaSet>(REPLICASETS, copy, "spec");
    rs.spec.replicas = stored.spec.replicas;
    rs.metadata = deepClone(stored.metadata);
    if (sizeNeedsUpdate) {
      const op = operation ?? (newScale > oldScale ? "up" : "down");
      this.events.normal(d, "ScalingReplicaSet", `Scaled ${op} replica set ${rs.metadata.name} to ${newScale} from ${oldScale}`, SOURCE);
    }
    return sizeNeedsUpdate;
  }

  private isScalingEvent(d: Deployment, now: number): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(d, false, now);
    for (const rs of [...oldRSs, ...(newRS ? [newRS] : [])].filter((r) => r.spec.replicas > 0)) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired === undefined) continue;
      if (Number(desired) !== d.spec.replicas) return true;
    }
    return false;
  }

  /** sync(): scaling events and paused deployments. */
  private syncScaleOrPaused(d: Deployment, now: number): void {
    const res = this.getAllReplicaSetsAndSyncRevision(d, false, now);
    d = res.d;
    this.scale(d, res.newRS, res.oldRSs);
    if (d.spec.paused) this.cleanup(res.oldRSs, d);
    this.syncDeploymentStatus(d, res.newRS, now);
  }

  /** scale(): proportional scaling across active ReplicaSets. */
  private scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => rs.spec.replicas > 0);
    if (active.length <= 1) {
      const target = active[0] ?? newRS ?? [...oldRSs].sort(byCreation).pop();
      if (target && target.spec.replicas !== d.spec.replicas) this.scaleReplicaSet(target, d.spec.replicas, d);
      return;
    }
    if (newRS && this.isSaturated(d, newRS)) {
      for (const old of oldRSs.filter((rs) => rs.spec.replicas > 0)) this.scaleReplicaSet(old, 0, d);
      return;
    }
    if (!isRolling(d)) return;
    const allReplicas = specReplicas(active);
    const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0;
    const toAdd = allowed - allReplicas;
    if (toAdd === 0) return;
    const sorted = [...active].sort((a, b) => {
      if (a.spec.replicas !== b.spec.replicas) return b.spec.replicas - a.spec.replicas;
      return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
    });
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of sorted) {
      const proportion = this.proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name, rs.spec.replicas + proportion);
      added += proportion;
    }
    sorted.forEach((rs, i) => {
      let size = sizes.get(rs.metadata.name) ?? rs.spec.replicas;
      if (i === 0) size = Math.max(0, size + (toAdd - added));
      this.scaleReplicaSet(rs, size, d, toAdd > 0 ? "up" : "down");
    });
  }

  private isSaturated(d: Deployment, rs: ReplicaSet): boolean {
    const desired = Number(rs.metadata.annotations?.[DESIRED_REPLICAS]);
    return rs.spec.replicas === d.spec.replicas && desired === d.spec.replicas && (rs.status?.availableReplicas ?? 0) === d.spec.replicas;
  }

  private proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
    if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
    let fraction: number;
    if (d.spec.replicas === 0) fraction = -rs.spec.replicas;
    else {
      const deploymentReplicas = d.spec.replicas + maxSurge(d);
      const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS]) || d.status?.replicas || deploymentReplicas;
      fraction = Math.round((rs.spec.replicas * deploymentReplicas) / annotated) - rs.spec.replicas;
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private rolloutRolling(d: Deployment, now: number): void {
    const res = this.getAllReplicaSetsAndSyncRevision(d, true, now);
    d = res.d;
    const newRS = res.newRS;
    if (!newRS) return;
    const oldRSs = res.oldRSs;
    const allRSs = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(allRSs, newRS, d)) return this.syncRolloutStatus(allRSs, newRS, d, now);
    if (
      this.reconcileOldReplicaSets(
        allRSs,
        oldRSs.filter((rs) => rs.spec.replicas > 0),
        newRS,
        d,
      )
    )
      return this.syncRolloutStatus(allRSs, newRS, d, now);
    if (deploymentComplete(d, d.status ?? {})) this.cleanup(oldRSs, d);
    this.syncRolloutStatus(allRSs, newRS, d, now);
  }

  private reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
    if (newRS.spec.replicas === d.spec.replicas) return false;
    if (newRS.spec.replicas > d.spec.replicas) return this.scaleReplicaSet(newRS, d.spec.replicas, d, "down");
    return this.scaleReplicaSet(newRS, this.newRSNewReplicas(d, allRSs, newRS), d, "up");
  }

  private reconcileOldReplicaSets(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
    const oldPods = specReplicas(oldRSs);
    if (oldPods === 0) return false;
    const allPods = specReplicas(allRSs);
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newRSUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newRSUnavailable;
    if (maxScaledDown <= 0) return false;
    // Clean up unhealthy replicas first, otherwise they would block the rollout.
    let cleaned = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      if (rs.spec.replicas === 0) continue;
      const available = rs.status?.availableReplicas ?? 0;
      if (rs.spec.replicas === available) continue;
      const count = Math.min(maxScaledDown - cleaned, rs.spec.replicas - available);
      const target = rs.spec.replicas - count;
      if (target < 0) continue;
      this.scaleReplicaSet(rs, target, d, "down");
      cleaned += count;
    }
    // Then scale down healthy old replicas, never going below minAvailable.
    const available = availableReplicas([...oldRSs, newRS]);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of [...oldRSs].sort(byCreation)) {
        if (scaledDown >= total) break;
        if (rs.spec.replicas === 0) continue;
        const count = Math.min(rs.spec.replicas, total - scaledDown);
        this.scaleReplicaSet(rs, rs.spec.replicas - count, d, "down");
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private rolloutRecreate(d: Deployment, now: number): void {
    let res = this.getAllReplicaSetsAndSyncRevision(d, false, now);
    d = res.d;
    const activeOld = res.oldRSs.filter((rs) => rs.spec.replicas > 0);
    let scaledDown = false;
    for (const rs of activeOld) scaledDown = this.scaleReplicaSet(rs, 0, d, "down") || scaledDown;
    const allRSs = () => [...res.oldRSs, ...(res.newRS ? [res.newRS] : [])];
    if (scaledDown) return this.syncRolloutStatus(allRSs(), res.newRS, d, now);
    const oldPodsRunning = res.oldRSs.some((rs) => podsOwnedBy(this.store, rs, true).length > 0);
    if (oldPodsRunning) return this.syncRolloutStatus(allRSs(), res.newRS, d, now);
    if (!res.newRS) {
      res = this.getAllReplicaSetsAndSyncRevision(d, true, now);
      d = res.d;
    }
    if (res.newRS) this.scaleReplicaSet(res.newRS, d.spec.replicas, d, "up");
    if (deploymentComplete(d, d.status ?? {})) this.cleanup(res.oldRSs, d);
    this.syncRolloutStatus(allRSs(), res.newRS, d, now);
  }

  private cleanup(oldRSs: ReplicaSet[], d: Deployment): void {
    const limit = d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    const sorted = [...cleanable].sort((a, b) => revisionOf(a, REVISION) - revisionOf(b, REVISION) || byCreation(a, b));
    for (const rs of sorted.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rs.spec.replicas !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.registry.controllerRemove(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
    }
  }

  private freshReplicaSets(rss: Array<ReplicaSet | undefined>): ReplicaSet[] {
    const out: ReplicaSet[] = [];
    for (const rs of rss) {
      if (!rs) continue;
      const stored = this.store.get<ReplicaSet>(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
      if (stored) out.push(stored);
    }
    return out;
  }

  /** calculateStatus. */
  private calculateStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): NonNullable<Deployment["status"]> {
    const all = this.freshReplicaSets(allRSs);
    const fresh = newRS ? this.freshReplicaSets([newRS]) : [];
    const available = availableReplicas(all);
    const total = specReplicas(all);
    const status: NonNullable<Deployment["status"]> = {
      observedGeneration: d.metadata.generation,
      replicas: statusReplicas(all),
      updatedReplicas: statusReplicas(fresh),
      readyReplicas: readyReplicas(all),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
      conditions: deepClone(d.status?.conditions ?? []),
    };
    if (available >= d.spec.replicas - maxUnavailable(d)) {
      setCondition(status, newCondition("Available", "True", Reason.MinimumReplicasAvailable, "Deployment has minimum availability.", now));
    } else {
      setCondition(status, newCondition("Available", "False", Reason.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
    }
    return status;
  }

  private syncDeploymentStatus(d: Deployment, newRS: ReplicaSet | undefined, now: number): void {
    const current = this.store.get<Deployment>(DEPLOYMENTS, d.metadata.namespace, d.metadata.name);
    if (!current) return;
    const base = deepClone(current);
    const allRSs = this.replicaSetsOf(base);
    const status = this.calculateStatus(allRSs, newRS, base, now);
    this.persist(base, status);
  }

  /** syncRolloutStatus: status plus the Progressing condition and the progress deadline. */
  private syncRolloutStatus(_allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: number): void {
    const current = this.store.get<Deployment>(DEPLOYMENTS, d.metadata.namespace, d.metadata.name);
    if (!current) return;
    d = deepClone(current);
    const allRSs = this.replicaSetsOf(d);
    const status = this.calculateStatus(allRSs, newRS, d, now);
    const deadline = d.spec.progressDeadlineSeconds;
    if (deadline === undefined) removeCondition(status, "Progressing");
    else {
      const currentCond = getCondition(d.status, "Progressing");
      const isComplete = status.replicas === status.updatedReplicas && currentCond?.reason === Reason.NewRSAvailable;
      if (!isComplete) {
        const rsName = newRS?.metadata.name;
        if (deploymentComplete(d, status)) {
          const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
          setCondition(status, newCondition("Progressing", "True", Reason.NewRSAvailable, msg, now));
        } else if (this.progressing(d, status)) {
          const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
          const condition = newCondition("Progressing", "True", Reason.ReplicaSetUpdated, msg, now);
          if (currentCond) {
            if (currentCond.status === "True") condition.lastTransitionTime = currentCond.lastTransitionTime;
            removeCondition(status, "Progressing");
          }
          setCondition(status, condition);
        } else if (this.timedOut(d, status, now)) {
          const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
          setCondition(status, newCondition("Progressing", "False", Reason.TimedOut, msg, now));
        }
      }
    }
    this.persist(d, status);
    this.requeueStuck(d, status, now);
  }

  private progressing(d: Deployment, status: NonNullable<Deployment["status"]>): boolean {
    const old = d.status ?? {};
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
    return (
      (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
      newOld < oldOld ||
      (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
      (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    );
  }

  private timedOut(d: Deployment, status: NonNullable<Deployment["status"]>, now: number): boolean {
    const cond = getCondition(status, "Progressing");
    if (!cond || d.spec.progressDeadlineSeconds === undefined) return false;
    if (cond.reason === Reason.NewRSAvailable) return false;
    if (cond.reason === Reason.TimedOut) return true;
    const from = parseTime(cond.lastUpdateTime);
    return from !== undefined && from + d.spec.progressDeadlineSeconds * 1000 < now;
  }

  private requeueStuck(d: Deployment, status: NonNullable<Deployment["status"]>, now: number): void {
    const cond = getCondition(status, "Progressing");
    if (!cond || d.spec.progressDeadlineSeconds === undefined) return;
    if (deploymentComplete(d, status) || cond.reason === Reason.TimedOut) return;
    const from = parseTime(cond.lastUpdateTime);
    if (from !== undefined) this.wakeAt(Math.max(now + 1, from + d.spec.progressDeadlineSeconds * 1000 + 1000));
  }

  private persist(d: Deployment, status: NonNullable<Deployment["status"]>): void {
    const cleaned: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(status)) if (v !== 0 || k === "observedGeneration") if (v !== undefined) cleaned[k] = v;
    if (deepEqual(cleaned, d.status ?? {})) return;
    d.status = cleaned as Deployment["status"];
    this.writeStatus(d);
  }
}
