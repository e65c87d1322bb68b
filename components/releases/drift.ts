import type { ReleaseView } from "./types";

/** A cluster whose workload runs something else than Slipway's last successful rollout there recorded. */
export type DriftedWorkload = { cluster: string; namespace: string; workload: string; liveImage: string };

/** Where the live cluster and the deploy history disagree about what runs in one environment. */
export type EnvironmentDrift = { recorded: Pick<ReleaseView, "version" | "image" | "digest"> | null; workloads: DriftedWorkload[] };

/** The slice of the Runtime view this needs: per cluster, what each workload's available pods run. */
export type LiveClusterImages = {
  cluster: string;
  error: unknown;
  workloads: Array<{ workload: { name: string; namespace: string }; runningVersion: { image: string; digest: string | null } | null }>;
};

const digestOf = (image: string) => /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1] ?? null;
const withoutDigest = (image: string) => image.replace(/@sha256:[a-f0-9]{64}$/, "");

/** Same image: same digest when both sides know it, else the same reference without its digest. */
export function sameImage(recorded: Pick<ReleaseView, "image" | "digest">, live: { image: string; digest: string | null }): boolean {
  const a = recorded.digest ?? digestOf(recorded.image);
  const b = live.digest ?? digestOf(live.image);
  if (a && b) return a === b;
  return withoutDigest(recorded.image) === withoutDigest(live.image);
}

/**
 * Compares what the clusters of one environment run with the release of the last successful rollout there. Null
 * when they agree, when a cluster did not answer (nothing to compare) or while a rollout is in flight (the
 * difference is then expected).
 */
export function environmentDrift(recorded: ReleaseView | null, clusters: LiveClusterImages[], inFlight: boolean): EnvironmentDrift | null {
  if (inFlight) return null;
  const workloads: DriftedWorkload[] = [];
  for (const cluster of clusters) {
    if (cluster.error) continue;
    for (const w of cluster.workloads) {
      if (!w.runningVersion) continue;
      if (recorded && sameImage(recorded, w.runningVersion)) continue;
      workloads.push({ cluster: cluster.cluster, namespace: w.workload.namespace, workload: w.workload.name, liveImage: w.runningVersion.image });
    }
  }
  if (!workloads.length) return null;
  return { recorded: recorded ? { version: recorded.version, image: recorded.image, digest: recorded.digest } : null, workloads };
}
