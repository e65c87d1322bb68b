import "server-only";
import { PatchStrategy } from "@kubernetes/client-node";
import { BadRequestError, ConflictError, NotFoundError } from "../shared/errors";
import type { KubeDeployment, KubePodTemplate, KubeReplicaSet, KubeRollout } from "./kube-objects";
import { controllerOf, POD_TEMPLATE_HASH, revisionOf, ROLLOUT_POD_TEMPLATE_HASH } from "./workload-views";
import type { WorkloadKind } from "./types";

/**
 * The patches kubectl and kubectl-argo-rollouts send, as pure functions of the objects they read. Deployments
 * take strategic merge patches; Rollouts are custom resources, which refuse strategic merge (415).
 */

export type Patch = { contentType: string; body: unknown; subresource?: "status" };

const kindLabel = (kind: WorkloadKind) => (kind === "Deployment" ? "deployment" : "rollout");

export function containerNames(template: KubePodTemplate): string[] {
  return template.spec.containers.map((c) => c.name);
}

/** `kubectl set image`: containers merge by name, so sidecars stay. For a Rollout the whole list is sent. */
export function setImagePatch(kind: WorkloadKind, workload: KubeDeployment | KubeRollout, container: string, image: string): Patch {
  const names = containerNames(workload.spec.template);
  if (!names.includes(container)) {
    throw new NotFoundError(`${kindLabel(kind)} "${workload.metadata.name}" has no container "${container}" (it has ${names.join(", ")})`);
  }
  if (kind === "Deployment") {
    return {
      contentType: PatchStrategy.StrategicMergePatch,
      body: { spec: { template: { spec: { containers: [{ name: container, image }] } } } },
    };
  }
  // A JSON merge patch replaces lists: send every container, and the resourceVersion we read, so a concurrent
  // change to the template is a 409 (the gateway re-reads and retries) instead of being overwritten.
  const containers = workload.spec.template.spec.containers.map((c) => (c.name === container ? { ...c, image } : c));
  return {
    contentType: PatchStrategy.MergePatch,
    body: { metadata: { resourceVersion: workload.metadata.resourceVersion }, spec: { template: { spec: { containers } } } },
  };
}

/** `kubectl rollout restart` (refused while paused) and `kubectl argo rollouts restart`. */
export function restartPatch(kind: WorkloadKind, workload: KubeDeployment | KubeRollout, now: Date): Patch {
  const at = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  if (kind === "Deployment") {
    if (workload.spec.paused) {
      throw new ConflictError(`can't restart paused deployment "${workload.metadata.name}" (run rollout resume first)`);
    }
    return {
      contentType: PatchStrategy.StrategicMergePatch,
      body: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } } },
    };
  }
  return { contentType: PatchStrategy.MergePatch, body: { spec: { restartAt: at } } };
}

export function pausePatch(paused: boolean): Patch {
  return { contentType: PatchStrategy.MergePatch, body: { spec: { paused } } };
}

const INCONCLUSIVE = new Set(["InconclusiveAnalysisRun", "InconclusiveExperiment"]);

/** kubectl-argo-rollouts promote: status-subresource patch first, then unpause the spec if it was paused. */
export function promotePatches(rollout: KubeRollout, full: boolean): Patch[] {
  const status = (body: unknown): Patch => ({ contentType: PatchStrategy.MergePatch, body: { status: body }, subresource: "status" });
  if (full) {
    const patches = [status({ promoteFull: true })];
    if (rollout.spec.paused) patches.push(pausePatch(false));
    return patches;
  }
  const steps = rollout.spec.strategy?.canary?.steps ?? [];
  const pauses = rollout.status?.pauseConditions ?? [];
  const inconclusive = pauses.some((p) => INCONCLUSIVE.has(p.reason));
  let statusPatch: Patch;
  if (inconclusive && pauses.length > 0 && rollout.status?.controllerPause) {
    const index = Math.min((rollout.status?.currentStepIndex ?? 0) + 1, steps.length);
    statusPatch = status({ pauseConditions: null, currentStepIndex: index });
  } else {
    statusPatch = status({ pauseConditions: null });
  }
  return rollout.spec.paused ? [statusPatch, pausePatch(false)] : [statusPatch];
}

export function abortPatch(): Patch {
  return { contentType: PatchStrategy.MergePatch, body: { status: { abort: true } }, subresource: "status" };
}

export function retryPatch(): Patch {
  return { contentType: PatchStrategy.MergePatch, body: { status: { abort: false } }, subresource: "status" };
}

// kubectl rollback.go annotationsToSkip, plus the Argo Rollouts equivalents.
const ANNOTATIONS_TO_SKIP = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
  "rollout.argoproj.io/revision",
  "rollout.argoproj.io/revision-history",
  "rollout.argoproj.io/desired-replicas",
]);

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );
}

/** apimachinery's Semantic.DeepEqual: nil and empty maps and slices are equal. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return a === b;
}

function withoutHash(template: KubePodTemplate): KubePodTemplate {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  delete labels[ROLLOUT_POD_TEMPLATE_HASH];
  const metadata = { ...(template.metadata ?? {}), labels };
  if (Object.keys(labels).length === 0) delete (metadata as { labels?: unknown }).labels;
  return { ...template, metadata };
}

export type UndoPlan = { skip: true; revision: number; message: string } | { skip: false; revision: number; message: string; patch: Patch };

/**
 * kubectl rollout undo (rollback.go): among the ReplicaSets the workload controls, take the chosen revision or
 * the second-highest; skip if its template already matches; otherwise replace the template (without the hash
 * label) and the annotations.
 */
export function planUndo(kind: WorkloadKind, workload: KubeDeployment | KubeRollout, replicaSets: KubeReplicaSet[], toRevision?: number): UndoPlan {
  const name = workload.metadata.name;
  const qualified = kind === "Deployment" ? `deployment.apps/${name}` : `rollout.argoproj.io/${name}`;
  if (workload.spec.paused) {
    throw new ConflictError(`you cannot rollback a paused ${kindLabel(kind)}; resume it first and try again`);
  }
  const owned = replicaSets.filter((rs) => controllerOf(rs.metadata)?.uid === workload.metadata.uid);
  let chosen: KubeReplicaSet | undefined;
  if (toRevision !== undefined && toRevision > 0) {
    chosen = owned.find((rs) => revisionOf(rs.metadata.annotations) === toRevision);
    if (!chosen) throw new NotFoundError(`unable to find specified revision ${toRevision} in history`);
  } else {
    const byRevision = owned
      .filter((rs) => revisionOf(rs.metadata.annotations) !== null)
      .sort((a, b) => revisionOf(b.metadata.annotations)! - revisionOf(a.metadata.annotations)!);
    chosen = byRevision[1];
    if (!chosen) throw new BadRequestError(`no rollout history found for ${kindLabel(kind)} "${name}"`);
  }
  const revision = revisionOf(chosen.metadata.annotations)!;
  if (semanticEqual(withoutHash(chosen.spec.template), withoutHash(workload.spec.template))) {
    return { skip: true, revision, message: `${qualified} skipped rollback (current template already matches revision ${revision})` };
  }
  const annotations: Record<string, string> = {};
  for (const key of ANNOTATIONS_TO_SKIP) {
    const v = workload.metadata.annotations?.[key];
    if (v !== undefined) annotations[key] = v;
  }
  for (const [k, v] of Object.entries(chosen.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  return {
    skip: false,
    revision,
    message: `${qualified} rolled back`,
    patch: {
      contentType: PatchStrategy.JsonPatch,
      body: [
        { op: "replace", path: "/spec/template", value: withoutHash(chosen.spec.template) },
        { op: "replace", path: "/metadata/annotations", value: annotations },
      ],
    },
  };
}
