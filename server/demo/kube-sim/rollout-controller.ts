import "server-only";
import { formatTime, parseDurationSeconds, parseTime } from "./clock";
import type { EventRecorder } from "./events";
import { computePodTemplateHash, fnv32a, safeEncodeString } from "./hash";
import { deepClone, deepEqual, stableStringify } from "./json";
import type { Registry } from "./registry";
import { availableReplicas, byCreation, equalIgnoreHash, readyReplicas, resolveFenceposts, revisionOf, specReplicas, statusReplicas } from "./replica-math";
import { podsOwnedBy } from "./replicaset-controller";
import { canarySetWeight, rolloutPhase } from "./rollout-phase";
import { PODS, REPLICASETS, ROLLOUTS } from "./resources";
import { formatLabelSelector } from "./selectors";
import type { Store } from "./store";
import { defaultPodTemplate } from "./defaults";
import type { CanaryStep, Condition, KubeObject, PauseCondition, PodTemplateSpec, ReplicaSet, Rollout, RolloutStatus } from "./types";

/**
 * The Argo Rollouts controller for canary Rollouts without traffic routing (argo-rollouts rollout/canary.go,
 * rollout/sync.go, utils/replicaset/canary.go): ReplicaSets sized by the current setWeight within
 * maxSurge/maxUnavailable, pause steps with pause conditions, promote / promote --full / abort / retry through
 * the status subresource, and the controller-side phase and message.
 */

export const ROLLOUT_REVISION = "rollout.argoproj.io/revision";
const DESIRED_REPLICAS = "rollout.argoproj.io/desired-replicas";
export const ROLLOUT_HASH_LABEL = "rollouts-pod-template-hash";
const SOURCE = { component: "rollouts-controller" };
const PAUSE_CANARY = "CanaryPauseStep";
const DEFAULT_PROGRESS_DEADLINE = 600;

function steps(r: Rollout): CanaryStep[] {
  return r.spec.strategy?.canary?.steps ?? [];
}

function replicasOf(r: Rollout): number {
  return r.spec.replicas ?? 1;
}

/** conditions.ComputeStepHash. */
export function stepHash(r: Rollout): string {
  return safeEncodeString(String(fnv32a(stableStringify(steps(r)))));
}

function maxSurge(r: Rollout): number {
  const c = r.spec.strategy?.canary;
  return resolveFenceposts(c?.maxSurge ?? "25%", c?.maxUnavailable ?? "25%", replicasOf(r)).surge;
}

function maxUnavailable(r: Rollout): number {
  const c = r.spec.strategy?.canary;
  const { unavailable } = resolveFenceposts(c?.maxSurge ?? "25%", c?.maxUnavailable ?? "25%", replicasOf(r));
  return Math.min(unavailable, replicasOf(r));
}

function hashOf(rs: ReplicaSet | undefined): string | undefined {
  return rs?.metadata.labels?.[ROLLOUT_HASH_LABEL];
}

function setCondition(status: RolloutStatus, condition: Condition): void {
  const current = status.conditions?.find((c) => c.type === condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  if (current && current.status === condition.status) condition.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
}

interface PauseChanges {
  add: string[];
  remove: string[];
  clear: boolean;
  addAbort: boolean;
  removeAbort: boolean;
}

/** One reconciliation of one Rollout (argo-rollouts' rolloutContext). */
class RolloutSync {
  r: Rollout;
  newRS?: ReplicaSet;
  stableRS?: ReplicaSet;
  otherRSs: ReplicaSet[] = [];
  allRSs: ReplicaSet[] = [];
  readonly pause: PauseChanges = { add: [], remove: [], clear: false, addAbort: false, removeAbort: false };
  restartedAt?: string;

  constructor(
    private readonly ctl: RolloutController,
    rollout: Rollout,
    private readonly now: number,
  ) {
    this.r = deepClone(rollout);
    this.restartedAt = this.r.status?.restartedAt;
    this.loadReplicaSets();
  }

  get status(): RolloutStatus {
    return this.r.status ?? {};
  }

  loadReplicaSets(): void {
    const list = this.ctl.replicaSetsOf(this.r);
    // Like Argo's PodTemplateEqualIgnoreHash, compare against the defaulted template: ReplicaSets are defaulted.
    const desired = deepClone(this.r.spec.template ?? {}) as Record<string, unknown>;
    defaultPodTemplate(desired);
    this.newRS = list.find((rs) => equalIgnoreHash(rs.spec.template, desired as PodTemplateSpec));
    const stableHash = this.status.stableRS;
    this.stableRS = stableHash ? list.find((rs) => hashOf(rs) === stableHash) : undefined;
    this.otherRSs = list.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    this.allRSs = [...this.otherRSs, ...(this.stableRS && this.stableRS !== this.newRS ? [this.stableRS] : []), ...(this.newRS ? [this.newRS] : [])];
  }

  isAborted(): boolean {
    return this.pause.addAbort || (this.status.abort === true && !this.pause.removeAbort);
  }

  run(): void {
    if (!this.r.spec.strategy?.canary) {
      this.persistInvalid(this.r.spec.strategy?.blueGreen ? "The simulator only runs canary Rollouts" : "Rollout has missing field '.spec.strategy.canary'");
      return;
    }
    if (!this.r.spec.template?.spec?.containers?.length) {
      this.persistInvalid(this.r.spec.workloadRef ? "The simulator does not resolve spec.workloadRef" : "Rollout has missing field '.spec.template'");
      return;
    }
    if (!this.r.spec.selector) {
      this.persistInvalid("Rollout has missing field '.spec.selector'");
      return;
    }
    this.checkPausedConditions();
    if (this.templateOrStepsChanged()) {
      this.syncRevision(false);
      this.syncStatus();
      return;
    }
    this.syncRevision(true);
    this.restartPods();
    this.cleanupHistory();
    if (this.reconcileReplicaSets()) {
      this.syncStatus();
      return;
    }
    this.reconcilePause();
    this.syncStatus();
  }

  // ---- replica sets ----

  private templateOrStepsChanged(): boolean {
    const s = this.status;
    if (s.currentStepHash && s.currentStepHash !== stepHash(this.r)) return true;
    if (!s.currentPodHash) return false;
    const podHash = hashOf(this.newRS) ?? computePodTemplateHash(this.r.spec.template);
    return s.currentPodHash !== podHash;
  }

  private syncRevision(createIfNotExisted: boolean): void {
    const oldRSs = this.allRSs.filter((rs) => rs !== this.newRS);
    const maxOld = Math.max(0, ...oldRSs.map((rs) => revisionOf(rs, ROLLOUT_REVISION)));
    const newRevision = maxOld + 1;
    if (this.newRS) {
      if (revisionOf(this.newRS, ROLLOUT_REVISION) < newRevision) {
        const copy = deepClone(this.newRS);
        copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [ROLLOUT_REVISION]: String(newRevision) };
        this.newRS = this.ctl.writeReplicaSet(copy);
        this.loadReplicaSetsKeepingNew();
      }
      this.setRolloutRevision(revisionOf(this.newRS, ROLLOUT_REVISION));
      return;
    }
    if (!createIfNotExisted) return;
    const hash = computePodTemplateHash(this.r.spec.template, this.status.collisionCount as number | undefined);
    const template = deepClone(this.r.spec.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [ROLLOUT_HASH_LABEL]: hash } };
    const selector = deepClone(this.r.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [ROLLOUT_HASH_LABEL]: hash };
    const rs: KubeObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${this.r.metadata.name}-${hash}`,
        namespace: this.r.metadata.namespace,
        labels: template.metadata.labels,
        annotations: { [ROLLOUT_REVISION]: String(newRevision), [DESIRED_REPLICAS]: String(replicasOf(this.r)) },
        ownerReferences: [
          {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Rollout",
            name: this.r.metadata.name,
            uid: this.r.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: 0,
        ...(this.r.spec.minReadySeconds !== undefined ? { minReadySeconds: this.r.spec.minReadySeconds } : {}),
        selector,
        template,
      },
    };
    this.newRS = this.ctl.createReplicaSet(rs);
    this.loadReplicaSetsKeepingNew();
    const replicas = this.canaryReplicaCounts().newCount;
    if (replicas > 0) {
      this.scale(this.newRS, replicas);
    }
    this.ctl.events.normal(this.r, "NewReplicaSetCreated", `Created ReplicaSet ${this.newRS.metadata.name} (revision ${newRevision})`, SOURCE);
    this.ctl.events.normal(this.r, "RolloutUpdated", `Rollout updated to revision ${newRevision}`, SOURCE);
    const status = deepClone(this.status);
    setCondition(status, this.condition("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${this.newRS.metadata.name}"`));
    this.r.status = status;
    this.setRolloutRevision(newRevision);
    this.r = this.ctl.writeRollout(this.r, "status");
  }

  private loadReplicaSetsKeepingNew(): void {
    const name = this.newRS?.metadata.name;
    this.loadReplicaSets();
    if (name && !this.newRS) this.newRS = this.allRSs.find((rs) => rs.metadata.name === name);
  }

  private setRolloutRevision(revision: number): void {
    if (this.r.metadata.annotations?.[ROLLOUT_REVISION] === String(revision)) return;
    this.r.metadata.annotations = { ...(this.r.metadata.annotations ?? {}), [ROLLOUT_REVISION]: String(revision) };
    this.r = this.ctl.writeRollout(this.r, "spec");
  }

  private weight(): number {
    const s = this.status;
    if (s.promoteFull || (s.currentPodHash !== undefined && s.currentPodHash === s.stableRS)) return 100;
    return canarySetWeight(this.r);
  }

  /** replicasetutil.CalculateReplicaCountsForCanary (basic canary: weights by replica counts). */
  canaryReplicaCounts(): { newCount: number; stableCount: number } {
    const replicas = replicasOf(this.r);
    const weight = this.weight();
    let desiredStable = Math.ceil(replicas * (1 - weight / 100));
    let desiredNew = Math.ceil(replicas * (weight / 100));
    const newRS = this.newRS;
    const stableRS = this.stableRS && this.stableRS !== newRS ? this.stableRS : undefined;
    let newCount = newRS?.spec.replicas ?? 0;
    let stableCount = 0;
    if (stableRS) stableCount = stableRS.spec.replicas;
    else {
      desiredNew = replicas;
      desiredStable = 0;
    }
    let surge = maxSurge(this.r);
    if ((replicas * weight) % 100 !== 0) surge += 1;
    const maxAllowed = replicas + surge;
    const all = [...this.otherRSs, ...(newRS ? [newRS] : []), ...(stableRS ? [stableRS] : [])];
    let scaleUp = maxAllowed - specReplicas(all);
    if (stableRS && stableRS.spec.replicas < desiredStable && scaleUp > 0) {
      if (stableRS.spec.replicas + scaleUp < desiredStable) {
        stableCount = stableRS.spec.replicas + scaleUp;
        scaleUp = 0;
      } else {
        stableCount = desiredStable;
        scaleUp -= desiredStable - stableRS.spec.replicas;
      }
    }
    if (newRS && newRS.spec.replicas < desiredNew && scaleUp > 0) {
      newCount = newRS.spec.replicas + scaleUp < desiredNew ? newRS.spec.replicas + scaleUp : desiredNew;
    }
    if (specReplicas(this.otherRSs) > 0) return { newCount, stableCount };
    const minAvailable = replicas - maxUnavailable(this.r);
    const increasing = !newRS || desiredNew >= newRS.spec.replicas;
    const forScaleDown = (rs: ReplicaSet | undefined, ignoreAvailability: boolean): number => {
      if (!rs) return 0;
      const available = rs.status?.availableReplicas ?? 0;
      if (rs.spec.replicas < available) return rs.spec.replicas;
      return ignoreAvailability ? rs.spec.replicas : available;
    };
    const toScaleDown = forScaleDown(newRS, !increasing) + forScaleDown(stableRS, increasing);
    if (toScaleDown <= minAvailable) return { newCount, stableCount };
    let scaleDown = toScaleDown - minAvailable;
    if (newRS && newRS.spec.replicas > desiredNew) {
      if (newRS.spec.replicas - scaleDown < desiredNew) {
        newCount = desiredNew;
        scaleDown -= newRS.spec.replicas - desiredNew;
      } else {
        newCount = newRS.spec.replicas - scaleDown;
        scaleDown = 0;
      }
    }
    if (stableRS && stableRS.spec.replicas > desiredStable) {
      stableCount = stableRS.spec.replicas - scaleDown < desiredStable ? desiredStable : stableRS.spec.replicas - scaleDown;
    }
    return { newCount, stableCount };
  }

  private atDesiredCounts(): boolean {
    const replicas = replicasOf(this.r);
    const weight = this.weight();
    const stableRS = this.stableRS && this.stableRS !== this.newRS ? this.stableRS : undefined;
    let desiredNew = Math.ceil(replicas * (weight / 100));
    let desiredStable = Math.ceil(replicas * (1 - weight / 100));
    if (!stableRS) {
      desiredNew = replicas;
      desiredStable = 0;
    }
    const newRS = this.newRS;
    if (!newRS || newRS.spec.replicas !== desiredNew || (newRS.status?.availableReplicas ?? 0) !== desiredNew) return false;
    if (!stableRS || stableRS.spec.replicas !== desiredStable || (stableRS.status?.availableReplicas ?? 0) !== desiredStable) return false;
    return availableReplicas(this.otherRSs) === 0;
  }

  private scale(rs: ReplicaSet, count: number): boolean {
    if (rs.spec.replicas === count && rs.metadata.annotations?.[DESIRED_REPLICAS] === String(replicasOf(this.r))) return false;
    const old = rs.spec.replicas;
    const copy = deepClone(rs);
    copy.spec.replicas = count;
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [DESIRED_REPLICAS]: String(replicasOf(this.r)) };
    const stored = this.ctl.writeReplicaSet(copy);
    rs.spec.replicas = stored.spec.replicas;
    rs.metadata = deepClone(stored.metadata);
    if (old === count) return false;
    this.ctl.events.normal(
      this.r,
      "ScalingReplicaSet",
      `Scaled ${count > old ? "up" : "down"} ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs, ROLLOUT_REVISION)}) from ${old} to ${count}`,
      SOURCE,
    );
    return true;
  }

  /** reconcileCanaryReplicaSets: stable first, then the canary, then everything older. True when it scaled. */
  private reconcileReplicaSets(): boolean {
    const stableRS = this.stableRS && this.stableRS !== this.newRS ? this.stableRS : undefined;
    if (stableRS && this.scale(stableRS, this.canaryReplicaCounts().stableCount)) return true;
    if (this.newRS && this.scale(this.newRS, this.canaryReplicaCounts().newCount)) return true;
    return this.scaleDownOthers();
  }

  private scaleDownOthers(): boolean {
    const others = this.otherRSs.filter((rs) => rs.spec.replicas > 0);
    if (others.length === 0) return false;
    let scaled = 0;
    // Unhealthy replicas go first, otherwise they would block the rollout.
    for (const rs of [...others].sort(byCreation)) {
      const available = rs.status?.availableReplicas ?? 0;
      if (rs.spec.replicas > available && this.scale(rs, available)) scaled++;
    }
    const minAvailable = replicasOf(this.r) - maxUnavailable(this.r);
    let maxScaleDown = availableReplicas(this.allRSs) - minAvailable;
    for (const rs of [...others].sort((a, b) => revisionOf(b, ROLLOUT_REVISION) - revisionOf(a, ROLLOUT_REVISION))) {
      if (maxScaleDown <= 0) break;
      if (rs.spec.replicas === 0) continue;
      const target = rs.spec.replicas > maxScaleDown ? rs.spec.replicas - maxScaleDown : 0;
      const count = rs.spec.replicas - target;
      if (this.scale(rs, target)) scaled++;
      maxScaleDown -= count;
    }
    return scaled > 0;
  }

  // ---- pause, steps, promotion ----

  private pauseCondition(): PauseCondition | undefined {
    return (this.status.pauseConditions ?? []).find((p) => p.reason === PAUSE_CANARY);
  }

  private reconcilePause(): void {
    if (this.r.spec.paused || this.status.promoteFull) return;
    const all = steps(this.r);
    const index = this.status.currentStepIndex ?? 0;
    if (all.length === 0 || index >= all.length) return;
    const step = all[index];
    if (!step?.pause) return;
    const cond = this.pauseCondition();
    if (!cond) {
      if (!this.status.controllerPause) {
        this.pause.add.push(PAUSE_CANARY);
        this.ctl.events.normal(this.r, "RolloutPaused", `Rollout is paused (${PAUSE_CANARY})`, SOURCE);
      }
      return;
    }
    const duration = parseDurationSeconds(step.pause.duration);
    const start = parseTime(cond.startTime);
    if (duration !== undefined && start !== undefined) this.ctl.wakeAt(start + duration * 1000 + 1);
  }

  private completedCurrentStep(): boolean {
    if (this.r.spec.paused) return false;
    const all = steps(this.r);
    const index = this.status.currentStepIndex ?? 0;
    const step = all[index];
    if (!step) return false;
    if (step.pause) {
      const cond = this.pauseCondition();
      const duration = parseDurationSeconds(step.pause.duration);
      if (duration !== undefined && cond) {
        const start = parseTime(cond.startTime);
        if (start !== undefined && this.now > start + duration * 1000) return true;
      }
      return !cond && this.status.controllerPause === true;
    }
    if (step.setWeight !== undefined) return this.atDesiredCounts();
    // Analysis and experiment steps are not simulated: treat them as passed.
    return true;
  }

  private shouldFullPromote(): string {
    if (!this.stableRS) return "Initial deploy";
    if (this.isAborted()) return "";
    if (!this.newRS || (this.newRS.status?.availableReplicas ?? 0) !== replicasOf(this.r)) return "";
    if (this.status.promoteFull) return "Full promotion requested";
    const count = steps(this.r).length;
    const index = this.status.currentStepIndex ?? 0;
    if (count === 0 || index === count) return `Completed all ${count} canary steps`;
    return "";
  }

  private restartPods(): void {
    const restartAt = parseTime(this.r.spec.restartAt);
    if (restartAt === undefined || this.r.spec.restartAt === this.restartedAt) return;
    if (restartAt > this.now) {
      this.ctl.wakeAt(restartAt);
      return;
    }
    const pods = this.allRSs.flatMap((rs) => podsOwnedBy(this.ctl.store, rs, true));
    if (pods.some((p) => p.metadata.deletionTimestamp)) return;
    const stale = pods.filter((p) => (parseTime(p.metadata.creationTimestamp) ?? 0) < restartAt);
    if (stale.length === 0) {
      this.restartedAt = this.r.spec.restartAt;
      return;
    }
    if (availableReplicas(this.allRSs) < replicasOf(this.r)) return;
    const victim = stale[0];
    if (victim) this.ctl.evict(victim.metadata.namespace ?? "", victim.metadata.name);
  }

  private cleanupHistory(): void {
    const limit = typeof this.r.spec.revisionHistoryLimit === "number" ? this.r.spec.revisionHistoryLimit : 10;
    const cleanable = [...this.otherRSs].sort(byCreation);
    const diff = cleanable.length - limit;
    for (const rs of cleanable.slice(0, Math.max(0, diff))) {
      if (rs.spec.replicas !== 0 || (rs.status?.replicas ?? 0) !== 0) continue;
      this.ctl.removeReplicaSet(rs);
    }
  }

  private checkPausedConditions(): void {
    const status = deepClone(this.status);
    const prog = status.conditions?.find((c) => c.type === "Progressing");
    const isPaused = (status.pauseConditions ?? []).length > 0 || this.r.spec.paused === true;
    const progPaused = prog?.reason === "RolloutPaused";
    const changes: Condition[] = [];
    if (isPaused && !progPaused) changes.push(this.condition("Progressing", "Unknown", "RolloutPaused", "Rollout is paused"));
    else if (!isPaused && progPaused) changes.push(this.condition("Progressing", "Unknown", "RolloutResumed", "Rollout is resumed"));
    const abortCond = prog?.reason === "RolloutAborted";
    if (!status.abort && abortCond) changes.push(this.condition("Progressing", "Unknown", "RolloutRetry", "Retrying Rollout after abort"));
    const pausedCond = status.conditions?.find((c) => c.type === "Paused");
    if ((isPaused && !abortCond) !== (pausedCond?.status === "True")) {
      changes.push(this.condition("Paused", isPaused ? "True" : "False", "RolloutPaused", "Rollout is paused"));
    }
    if (changes.length === 0) return;
    for (const c of changes) setCondition(status, c);
    status.observedGeneration = String(this.r.metadata.generation ?? 1);
    this.r.status = status;
    this.r = this.ctl.writeRollout(this.r, "status");
  }

  // ---- status ----

  private condition(type: string, status: Condition["status"], reason: string, message: string): Condition {
    const t = formatTime(this.now);
    return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
  }

  private syncStatus(): void {
    this.loadReplicaSetsKeepingNew();
    const prev = this.status;
    const currentPodHash = hashOf(this.newRS) ?? computePodTemplateHash(this.r.spec.template);
    const count = steps(this.r).length;
    const next: RolloutStatus = {
      currentPodHash,
      replicas: statusReplicas(this.allRSs),
      updatedReplicas: this.newRS?.status?.replicas ?? 0,
      readyReplicas: readyReplicas(this.allRSs),
      availableReplicas: availableReplicas(this.allRSs),
      HPAReplicas: statusReplicas(this.allRSs),
      selector: formatLabelSelector(this.r.spec.selector),
      stableRS: prev.stableRS,
      currentStepHash: stepHash(this.r),
      conditions: deepClone(prev.conditions ?? []),
      canary: {},
      ...(this.restartedAt ? { restartedAt: this.restartedAt } : {}),
      ...(prev.collisionCount !== undefined ? { collisionCount: prev.collisionCount } : {}),
    };
    next.promoteFull = currentPodHash !== prev.stableRS && prev.promoteFull === true;
    let index: number | undefined = count > 0 ? (prev.currentStepIndex ?? 0) : undefined;

    if (this.templateOrStepsChanged()) {
      this.pause.clear = true;
      this.pause.removeAbort = true;
      next.promoteFull = false;
      next.currentStepIndex = count > 0 ? 0 : undefined;
      if (this.newRS && prev.stableRS === hashOf(this.newRS) && count > 0) {
        this.ctl.events.normal(this.r, "SkipSteps", "Rollback to stable", SOURCE);
        next.currentStepIndex = count;
      }
      return this.persist(next);
    }
    if (prev.promoteFull) {
      this.pause.clear = true;
      this.pause.removeAbort = true;
      if (count > 0) index = count;
    }
    const reason = this.shouldFullPromote();
    if (reason) {
      this.pause.clear = true;
      this.pause.removeAbort = true;
      next.currentStepIndex = count > 0 ? count : undefined;
      if (next.stableRS !== currentPodHash) {
        next.stableRS = currentPodHash;
        next.promoteFull = false;
        const revision = revisionOf(this.r, ROLLOUT_REVISION) || 1;
        this.ctl.events.normal(this.r, "RolloutCompleted", `Rollout completed update to revision ${revision} (${currentPodHash}): ${reason}`, SOURCE);
      }
      return this.persist(next);
    }
    if (this.isAborted()) {
      if (count > 0) next.currentStepIndex = next.stableRS === currentPodHash ? count : 0;
      return this.persist(next);
    }
    if (this.completedCurrentStep()) {
      const step = steps(this.r)[index ?? 0];
      index = (index ?? 0) + 1;
      this.ctl.events.normal(this.r, "RolloutStepCompleted", `Rollout step ${index}/${count} completed (${stepString(step)})`, SOURCE);
      this.pause.remove.push(PAUSE_CANARY);
    }
    next.currentStepIndex = index;
    this.persist(next);
  }

  private calculateConditions(next: RolloutStatus): void {
    const prev = this.status;
    const paused = (prev.pauseConditions ?? []).length > 0 || this.r.spec.paused === true;
    const revision = revisionOf(this.r, ROLLOUT_REVISION) || 1;
    if (!paused) {
      const current = prev.conditions?.find((c) => c.type === "Progressing");
      const complete = next.replicas === next.availableReplicas && current?.reason === "NewReplicaSetAvailable";
      if (!complete) {
        const rsName = this.newRS?.metadata.name;
        if (this.isAborted()) {
          setCondition(next, this.condition("Progressing", "False", "RolloutAborted", `Rollout aborted update to revision ${revision}`));
        } else if (this.rolloutComplete(next)) {
          setCondition(
            next,
            this.condition(
              "Progressing",
              "True",
              "NewReplicaSetAvailable",
              rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Rollout "${this.r.metadata.name}" has successfully progressed.`,
            ),
          );
        } else if (this.progressing(next)) {
          const c = this.condition(
            "Progressing",
            "True",
            "ReplicaSetUpdated",
            rsName ? `ReplicaSet "${rsName}" is progressing.` : `Rollout "${this.r.metadata.name}" is progressing.`,
          );
          if (current) {
            if (current.status === "True") c.lastTransitionTime = current.lastTransitionTime;
            next.conditions = (next.conditions ?? []).filter((x) => x.type !== "Progressing");
          }
          setCondition(next, c);
        } else if (this.timedOut(next)) {
          setCondition(
            next,
            this.condition(
              "Progressing",
              "False",
              "ProgressDeadlineExceeded",
              rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Rollout "${this.r.metadata.name}" has timed out progressing.`,
            ),
          );
        }
      }
    }
    if (availableReplicas(this.allRSs) >= replicasOf(this.r))
      setCondition(next, this.condition("Available", "True", "AvailableReason", "Rollout has minimum availability"));
    else setCondition(next, this.condition("Available", "False", "AvailableReason", "Rollout does not have minimum availability"));
    const completed = next.stableRS !== undefined && next.stableRS === next.currentPodHash;
    setCondition(
      next,
      completed
        ? this.condition(
            "Completed",
            "True",
            "RolloutCompleted",
            `Rollout completed update to revision ${revision} (${next.currentPodHash}): Rollout completed`,
          )
        : this.condition("Completed", "False", "RolloutNotCompleted", `Rollout not completed, started update to revision ${revision} (${next.currentPodHash})`),
    );
    setCondition(
      next,
      this.rolloutComplete(next)
        ? this.condition("Healthy", "True", "RolloutHealthy", "Rollout is healthy")
        : this.condition("Healthy", "False", "RolloutHealthy", "Rollout is not healthy"),
    );
  }

  private rolloutComplete(next: RolloutStatus): boolean {
    const replicas = replicasOf(this.r);
    const count = steps(this.r).length;
    const allSteps = count === 0 || next.currentStepIndex === undefined || next.currentStepIndex === count;
    const stable = !!next.stableRS && next.stableRS === next.currentPodHash;
    return next.updatedReplicas === replicas && next.availableReplicas === replicas && next.replicas === replicas && allSteps && stable;
  }

  private progressing(next: RolloutStatus): boolean {
    const old = this.status;
    const stepChanged = next.currentStepIndex !== undefined && old.currentStepIndex !== undefined && next.currentStepIndex !== old.currentStepIndex;
    const strategyProgress = next.stableRS !== old.stableRS || stepChanged || next.currentStepHash !== old.currentStepHash;
    const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
    const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
    return (
      (next.updatedReplicas ?? 0) !== (old.updatedReplicas ?? 0) ||
      newOld < oldOld ||
      (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
      (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0) ||
      strategyProgress
    );
  }

  private timedOut(next: RolloutStatus): boolean {
    const cond = next.conditions?.find((c) => c.type === "Progressing");
    if (!cond || cond.reason === "NewReplicaSetAvailable") return false;
    if (cond.reason === "ProgressDeadlineExceeded") return true;
    const deadline = typeof this.r.spec.progressDeadlineSeconds === "number" ? this.r.spec.progressDeadlineSeconds : DEFAULT_PROGRESS_DEADLINE;
    const from = parseTime(cond.lastUpdateTime);
    if (from === undefined) return false;
    if (from + deadline * 1000 < this.now) return true;
    this.ctl.wakeAt(from + deadline * 1000 + 1000);
    return false;
  }

  /** pauseContext.CalculatePauseStatus + phase, then write if anything changed. */
  private persist(next: RolloutStatus): void {
    this.calculateConditions(next);
    const prev = this.status;
    const abort = this.pause.addAbort ? true : this.pause.removeAbort ? false : prev.abort === true;
    if (abort) {
      next.abort = true;
      next.abortedAt = prev.abortedAt ?? formatTime(this.now);
    }
    if (!this.pause.clear && !abort) {
      let controllerPause = prev.controllerPause === true;
      const conditions: PauseCondition[] = [];
      const existing = new Set<string>();
      for (const c of prev.pauseConditions ?? []) {
        if (!this.pause.remove.includes(c.reason)) conditions.push(c);
        existing.add(c.reason);
      }
      for (const reason of this.pause.add) {
        if (!existing.has(reason)) {
          conditions.push({ reason, startTime: formatTime(this.now) });
          controllerPause = true;
        }
      }
      if (conditions.length > 0) {
        next.pauseConditions = conditions;
        next.controllerPause = controllerPause;
      }
    }
    if (!next.promoteFull) delete next.promoteFull;
    next.observedGeneration = String(this.r.metadata.generation ?? 1);
    const { phase, message } = rolloutPhase(this.r.spec, next);
    next.phase = phase;
    next.message = message;
    if (this.r.spec.strategy?.canary?.trafficRouting) {
      const w = this.weight();
      next.canary = {
        weights: {
          canary: { podTemplateHash: next.currentPodHash, weight: next.stableRS === next.currentPodHash ? 0 : w },
          stable: { podTemplateHash: next.stableRS, weight: next.stableRS === next.currentPodHash ? 100 : 100 - w },
        },
      };
    }
    const cleaned = JSON.parse(JSON.stringify(next)) as RolloutStatus;
    for (const key of ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "HPAReplicas"] as const) {
      if (cleaned[key] === 0) delete cleaned[key];
    }
    if (deepEqual(cleaned, prev)) return;
    this.r.status = cleaned;
    this.r = this.ctl.writeRollout(this.r, "status");
  }

  private persistInvalid(message: string): void {
    const next = deepClone(this.status);
    setCondition(next, this.condition("InvalidSpec", "True", "InvalidSpec", message));
    next.observedGeneration = String(this.r.metadata.generation ?? 1);
    const { phase, message: m } = rolloutPhase(this.r.spec, next);
    next.phase = phase;
    next.message = m;
    if (deepEqual(next, this.status)) return;
    this.r.status = next;
    this.r = this.ctl.writeRollout(this.r, "status");
  }
}

function stepString(step: CanaryStep | undefined): string {
  if (!step) return "invalid";
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause) return step.pause.duration !== undefined ? `pause: ${String(step.pause.duration)}` : "pause";
  if (step.analysis) return "analysis";
  if (step.experiment) return "experiment";
  return "invalid";
}

export class RolloutController {
  constructor(
    readonly store: Store,
    private readonly registry: Registry,
    readonly events: EventRecorder,
    readonly wakeAt: (at: number) => void,
  ) {}

  reconcile(now: number): void {
    for (const r of this.store.list<Rollout>(ROLLOUTS)) {
      if (r.metadata.deletionTimestamp) continue;
      new RolloutSync(this, r, now).run();
    }
  }

  replicaSetsOf(r: Rollout): ReplicaSet[] {
    return this.store
      .list<ReplicaSet>(REPLICASETS, r.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === r.metadata.uid))
      .map((rs) => deepClone(rs))
      .sort(byCreation);
  }

  writeReplicaSet(rs: ReplicaSet): ReplicaSet {
    return deepClone(this.registry.controllerWrite<ReplicaSet>(REPLICASETS, rs, "spec"));
  }

  createReplicaSet(rs: KubeObject): ReplicaSet {
    return deepClone(this.registry.controllerCreate<ReplicaSet>(REPLICASETS, rs));
  }

  removeReplicaSet(rs: ReplicaSet): void {
    this.registry.controllerRemove(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
  }

  writeRollout(r: Rollout, mode: "spec" | "status"): Rollout {
    return deepClone(this.registry.controllerWrite<Rollout>(ROLLOUTS, r, mode));
  }

  evict(namespace: string, name: string): void {
    this.registry.delete(PODS, namespace, name);
  }
}
