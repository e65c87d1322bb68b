import "server-only";
import { ForbiddenError } from "../shared/errors";
import { toClusterError } from "./cluster-errors";
import { clusterRegistry, type ClusterRegistry } from "./cluster-registry";
import type { ClusterGateway } from "./gateway";
import type { InformerChange } from "./informer";
import { watchedResources, type KubeObjectOf, type WatchedResource } from "./kube-objects";
import type { ClusterRuntime, EnvironmentVersion, RunningVersions, ServiceRuntime } from "./runtime-types";
import type { ClusterError, RolloutState } from "./types";
import { matchesTarget, namespacesFor, resolveWorkloadTarget, type ServiceLike, type WorkloadTarget } from "./workload-mapping";
import { buildWorkloadRuntimes, matchingWorkloads, ownedReplicaSets, versionsOf, type ClusterObjects } from "./workload-runtime";
import { controllerOf, toWorkloadView } from "./workload-views";
import { partitionByOwnership } from "./workload-ownership";

/** A service as the runtime view needs it: its mapping, and its squad (which decides what it owns). */
export type RuntimeService = ServiceLike & { team: string | { name: string } | null };
const teamOf = (s: RuntimeService) => (typeof s.team === "string" ? s.team : (s.team?.name ?? null));

/** A service's live runtime, read from the watch hub's caches: a warm page view asks no cluster anything. */

function allowedNamespaces(gateway: ClusterGateway, target: WorkloadTarget): Array<string | null> {
  if (target.namespace && gateway.namespaces && !gateway.namespaces.includes(target.namespace)) {
    throw new ForbiddenError(`Slipway is not configured to use namespace "${target.namespace}" in cluster ${gateway.name}`);
  }
  return namespacesFor(target, gateway.namespaces);
}

async function readObjects(
  registry: ClusterRegistry,
  gateway: ClusterGateway,
  namespaces: Array<string | null>,
  resources: readonly WatchedResource[],
): Promise<ClusterObjects> {
  const hub = registry.hub();
  const timeoutMs = gateway.timeoutSeconds * 1000 + 500;
  const objects: ClusterObjects = { deployments: [], rollouts: [], replicasets: [], pods: [], events: [] };
  const reads = namespaces.flatMap((ns) => resources.map(async (resource) => ({ resource, snapshot: await hub.read(gateway.name, resource, ns, timeoutMs) })));
  for (const { resource, snapshot } of await Promise.all(reads)) {
    if (snapshot.error) throw snapshot.error;
    (objects[resource] as unknown[]).push(...snapshot.items);
  }
  return objects;
}

function resolveTarget(service: ServiceLike): { target: WorkloadTarget | null; error: string | null } {
  try {
    return { target: resolveWorkloadTarget(service), error: null };
  } catch (error) {
    return { target: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function getServiceRuntime(service: RuntimeService): Promise<ServiceRuntime> {
  const registry = clusterRegistry();
  const { target, error: mappingError } = resolveTarget(service);
  const clusters: ClusterRuntime[] = await Promise.all(
    registry.clusters.map(async (gateway): Promise<ClusterRuntime> => {
      const base = {
        cluster: gateway.name,
        environment: gateway.environment,
        namespaces: target?.namespace ? [target.namespace] : gateway.namespaces ? [...gateway.namespaces] : null,
      };
      if (!target) return { ...base, workloads: [], error: null, refused: [] };
      try {
        const objects = await readObjects(registry, gateway, allowedNamespaces(gateway, target), watchedResources);
        const built = buildWorkloadRuntimes(gateway.name, target, objects);
        // The same rule as every action: what the mapping matches beyond the service's own workloads is not shown as its.
        const { owned, refused } = partitionByOwnership(
          { name: service.name, annotations: service.annotations ?? null, team: teamOf(service) },
          built.map((w) => ({ ...w.workload, runtime: w })),
          { namespaceOwners: registry.namespaceOwners },
        );
        return { ...base, workloads: owned.map((w) => w.runtime), error: null, refused };
      } catch (error) {
        return { ...base, workloads: [], error: toClusterError(gateway, error), refused: [] };
      }
    }),
  );
  const errors = clusters.flatMap((c) => (c.error ? [c.error] : []));
  return {
    service: service.name,
    mapping: target?.description ?? null,
    mappingError,
    environments: registry.environments.map((env) => ({ ...env, clusters: clusters.filter((c) => c.environment === env.name) })),
    errors,
    observedAt: new Date().toISOString(),
  };
}

/** Whether a change can alter what the service's runtime shows. */
function affects(
  registry: ClusterRegistry,
  target: WorkloadTarget,
  cluster: string,
  namespace: string | null,
  resource: WatchedResource,
  change: InformerChange<WatchedResource>,
): boolean {
  if (change.type === "RESYNC" || change.type === "STATE") return true;
  const objects = [change.object, change.previous].filter((o): o is KubeObjectOf<WatchedResource> => o !== undefined);
  if (resource === "deployments" || resource === "rollouts") {
    const kind = resource === "deployments" ? "Deployment" : "Rollout";
    return objects.some((o) => matchesTarget(target, kind, o));
  }
  const hub = registry.hub();
  const names = matchingWorkloads(target, {
    deployments: hub.peek(cluster, "deployments", namespace)?.items ?? [],
    rollouts: hub.peek(cluster, "rollouts", namespace)?.items ?? [],
  }).map((w) => w.object.metadata.name);
  const generatedFrom = (name: string) => names.some((n) => name === n || name.startsWith(`${n}-`));
  return objects.some((o) => {
    if (resource === "events") return generatedFrom((o as KubeObjectOf<"events">).involvedObject.name ?? "");
    const owner = controllerOf((o as KubeObjectOf<"pods" | "replicasets">).metadata);
    return owner !== null && generatedFrom(owner.name);
  });
}

/**
 * Calls `onChange` (at most once per `coalesceMs`) after any watch event that affects the service's workloads,
 * their ReplicaSets, pods or events. Holds the informers running until the returned function is called.
 */
export function subscribeServiceRuntime(service: ServiceLike, onChange: () => void, options: { coalesceMs?: number } = {}): () => void {
  const registry = clusterRegistry();
  const { target } = resolveTarget(service);
  if (!target) return () => undefined;
  const coalesceMs = options.coalesceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, coalesceMs);
  };
  const hub = registry.hub();
  const leases: Array<{ release(): void }> = [];
  for (const gateway of registry.clusters) {
    let namespaces: Array<string | null>;
    try {
      namespaces = allowedNamespaces(gateway, target);
    } catch {
      continue;
    }
    for (const ns of namespaces) {
      for (const resource of watchedResources) {
        leases.push(
          hub.acquire(gateway.name, resource, ns, (change) => {
            if (affects(registry, target, gateway.name, ns, resource, change as InformerChange<WatchedResource>)) schedule();
          }),
        );
      }
    }
  }
  return () => {
    closed = true;
    if (timer) clearTimeout(timer);
    for (const lease of leases) lease.release();
  };
}

/**
 * Per service and environment, the version running there, for lists of many services. Reads Deployments,
 * Rollouts and ReplicaSets from the caches (pods only when already cached, for digests).
 */
export async function runningVersions(services: Array<string | ServiceLike>): Promise<RunningVersions> {
  const registry = clusterRegistry();
  const targets = services.map((s) => {
    const service: ServiceLike = typeof s === "string" ? { name: s } : s;
    try {
      return { name: service.name, target: resolveWorkloadTarget(service, { byName: true }) };
    } catch {
      return { name: service.name, target: null };
    }
  });
  const result: RunningVersions = {};
  for (const { name } of targets) result[name] = Object.fromEntries(registry.environments.map((e) => [e.name, null]));
  const perCluster = await Promise.all(
    registry.clusters.map(async (gateway) => {
      const byNamespace = new Map<string | null, ClusterObjects | ClusterError>();
      const wanted = new Set<string | null>();
      for (const { target } of targets) {
        if (!target) continue;
        try {
          for (const ns of allowedNamespaces(gateway, target)) wanted.add(ns);
        } catch {
          // A namespace this cluster may not use: nothing runs there for Slipway.
        }
      }
      // All namespaces at once when any service needs them: one cluster-wide informer serves every namespace.
      const namespaces = wanted.has(null) ? [null] : [...wanted];
      await Promise.all(
        namespaces.map(async (ns) => {
          try {
            const objects = await readObjects(registry, gateway, [ns], ["deployments", "rollouts", "replicasets"]);
            objects.pods = (registry.hub().peek(gateway.name, "pods", ns)?.items ?? []) as ClusterObjects["pods"];
            byNamespace.set(ns, objects);
          } catch (error) {
            byNamespace.set(ns, toClusterError(gateway, error));
          }
        }),
      );
      return { gateway, objectsFor: (ns: string | null) => byNamespace.get(wanted.has(null) ? null : ns) };
    }),
  );
  for (const { name, target } of targets) {
    if (!target) continue;
    for (const env of registry.environments) {
      const found: Array<{ cluster: string; image: string; tag: string | null; digest: string | null; state: RolloutState }> = [];
      for (const { gateway, objectsFor } of perCluster) {
        if (gateway.environment !== env.name) continue;
        let namespaces: Array<string | null>;
        try {
          namespaces = allowedNamespaces(gateway, target);
        } catch {
          continue;
        }
        for (const ns of namespaces) {
          const objects = objectsFor(ns);
          if (!objects || "message" in objects) continue;
          for (const workload of matchingWorkloads(target, objects)) {
            if (ns !== null && workload.object.metadata.namespace !== ns) continue;
            const versions = versionsOf(workload, ownedReplicaSets(workload, objects.replicasets), objects.pods, target);
            if (!versions.running) continue;
            const state = toWorkloadView(gateway.name, workload.kind, workload.object).status.state;
            found.push({ cluster: gateway.name, image: versions.running.image, tag: versions.running.tag, digest: versions.running.digest, state });
          }
        }
      }
      const first = found[0];
      if (!first) continue;
      const version: EnvironmentVersion = {
        image: first.image,
        tag: first.tag,
        digest: first.digest,
        state: found.find((f) => f.state !== "complete")?.state ?? "complete",
        clusters: [...new Set(found.map((f) => f.cluster))],
        mixed: found.some((f) => f.image !== first.image),
      };
      result[name]![env.name] = version;
    }
  }
  return result;
}
