import "server-only";
import {
  clusterRegistry,
  forEachCluster,
  parseLabelSelector,
  partitionByOwnership,
  resolveWorkloadTarget,
  type ClusterGateway,
  type WorkloadRef,
} from "../cluster";
import { ValidationError } from "../shared/errors";
import type { ActingAs, RolloutBackend, TargetObservation } from "./rollout-backend";

function gatewayFor(ref: WorkloadRef): ClusterGateway {
  const gateway = clusterRegistry().gateway(ref.cluster);
  if (!gateway) throw new ValidationError(`Cluster "${ref.cluster}" is not configured.`);
  return gateway;
}

const options = (as: ActingAs) => ({ as });

/** The release machinery's view of the clusters, over the cluster gateways and their shared watch hub. */
export function clusterRolloutBackend(): RolloutBackend {
  return {
    async resolveTargets(service, environment) {
      const target = resolveWorkloadTarget(service, { byName: true });
      if (!target) return { targets: [], errors: [], refused: [] };
      const registry = clusterRegistry();
      const { data, errors } = await forEachCluster(environment, async (gateway) => {
        // Only the squad's own namespaces are looked in, unless the mapping names one (then ownership refuses it).
        const owned = service.team ? registry.namespacesOf(gateway.name, service.team) : [];
        const namespaces = target.namespace ? [target.namespace] : owned.filter((n) => gateway.namespaces === null || gateway.namespaces.includes(n));
        const found = await Promise.all(
          namespaces.map(async (namespace) => {
            if (!target.workload) return gateway.listWorkloads({ namespace, selector: target.selector });
            try {
              return [await gateway.getWorkload({ cluster: gateway.name, kind: target.workload.kind ?? "Deployment", namespace, name: target.workload.name })];
            } catch (error) {
              if ((error as { status?: number }).status === 404) return [];
              throw error;
            }
          }),
        );
        return found.flat().map((w) => {
          const containers = w.images.map((i) => i.container);
          const container =
            target.container && containers.includes(target.container) ? target.container : containers.includes("app") ? "app" : (containers[0] ?? "app");
          return { cluster: gateway.name, kind: w.kind, namespace: w.namespace, name: w.name, container, labels: w.labels };
        });
      });
      const { owned, refused } = partitionByOwnership(service, data.flat(), { namespaceOwners: registry.namespaceOwners });
      return {
        targets: owned.map(({ labels: _labels, ...ref }) => ref),
        errors: errors.map((e) => ({ cluster: e.cluster, message: e.message })),
        refused,
      };
    },

    async observe(ref): Promise<TargetObservation | null> {
      const gateway = gatewayFor(ref);
      let workload;
      try {
        workload = await gateway.getWorkload(ref);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
      const selectorText = Object.entries(workload.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
      const scope = { namespace: ref.namespace, selector: selectorText ? parseLabelSelector(selectorText) : null };
      const [replicaSets, pods, events] = await Promise.all([
        gateway.listReplicaSets(scope),
        gateway.listPods(scope),
        gateway.listEvents({ namespace: ref.namespace }),
      ]);
      const owned = replicaSets.filter((rs) => rs.ownerName === ref.name);
      const names = new Set([ref.name, ...owned.map((r) => r.name), ...pods.map((p) => p.name)]);
      return {
        workload,
        replicaSets: owned,
        pods,
        events: events.filter((e) => names.has(e.involvedName)).sort((a, b) => (a.type === b.type ? 0 : a.type === "Warning" ? -1 : 1)),
      };
    },

    async setImage(ref, container, image, as) {
      await gatewayFor(ref).setImage(ref, container, image, options(as));
    },
    async promote(ref, promotion, as) {
      await gatewayFor(ref).promote(ref, promotion, options(as));
    },
    async abort(ref, as) {
      await gatewayFor(ref).abort(ref, options(as));
    },
    async retry(ref, as) {
      await gatewayFor(ref).retry(ref, options(as));
    },
    async restart(ref, as) {
      await gatewayFor(ref).restart(ref, options(as));
    },
    async setPaused(ref, paused, as) {
      await gatewayFor(ref).setPaused(ref, paused, options(as));
    },

    subscribe(refs, onChange) {
      const hub = clusterRegistry().hub();
      const leases: Array<{ release(): void }> = [];
      for (const ref of refs) {
        if (!clusterRegistry().gateway(ref.cluster)) continue;
        for (const resource of [ref.kind === "Rollout" ? "rollouts" : "deployments", "replicasets", "pods"] as const) {
          leases.push(hub.acquire(ref.cluster, resource, ref.namespace, () => onChange()));
        }
      }
      return () => leases.forEach((l) => l.release());
    },
  };
}
