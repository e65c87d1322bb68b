import "server-only";
import { parseTime } from "./clock";
import { deepClone, deepEqual, stripNulls } from "./json";
import type { PodTemplateSpec, ReplicaSet } from "./types";

/** Helpers shared by the Deployment and Rollout controllers (pkg/controller/deployment/util). */

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number.parseInt(value, 10) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** ResolveFenceposts: surge rounds up, unavailable rounds down, and both zero means one unavailable. */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export const DEFAULT_HASH_LABELS = ["pod-template-hash", "rollouts-pod-template-hash"];

export function templateWithoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = stripNulls(deepClone(template ?? {}));
  const labels = { ...(t.metadata?.labels ?? {}) };
  for (const key of DEFAULT_HASH_LABELS) delete labels[key];
  t.metadata = { ...(t.metadata ?? {}), labels };
  if (Object.keys(labels).length === 0) delete t.metadata.labels;
  return t;
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(templateWithoutHash(a), templateWithoutHash(b));
}

export function revisionOf(rs: { metadata: { annotations?: Record<string, string> } }, annotation: string): number {
  const v = Number.parseInt(rs.metadata.annotations?.[annotation] ?? "", 10);
  return Number.isFinite(v) ? v : 0;
}

export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export const specReplicas = (rss: Array<ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.spec.replicas ?? 0), 0);
export const statusReplicas = (rss: Array<ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const readyReplicas = (rss: Array<ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const availableReplicas = (rss: Array<ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
