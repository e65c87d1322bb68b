import "server-only";
import { clusterRegistry } from "./cluster-registry";
import { getServiceRuntime, type RuntimeService } from "./runtime";
import { resolveWorkloadTarget } from "./workload-mapping";
import { serviceWorkloadId } from "./workload-ownership";
import type { WorkloadKind } from "./types";

export type ServiceWorkload = { namespace: string; name: string; kind: WorkloadKind };

/**
 * The workload that runs a service in an environment, as the runtime view finds it (the service's own, by the
 * ownership rules): what metrics and logs are scoped to. Without a cluster to ask, the mapping's namespace and the
 * service's workload id; null when neither says where it runs.
 */
export async function serviceWorkloadIn(service: RuntimeService, environment: string): Promise<ServiceWorkload | null> {
  if (clusterRegistry().inEnvironment(environment).length) {
    const runtime = await getServiceRuntime(service);
    const workload = runtime.environments
      .find((e) => e.name === environment)
      ?.clusters.flatMap((c) => c.workloads)
      .map((w) => w.workload)[0];
    if (workload) return { namespace: workload.namespace, name: workload.name, kind: workload.kind };
  }
  const target = (() => {
    try {
      return resolveWorkloadTarget(service, { byName: true });
    } catch {
      return null;
    }
  })();
  if (!target?.namespace) return null;
  return { namespace: target.namespace, name: target.workload?.name ?? serviceWorkloadId(service), kind: target.workload?.kind ?? "Deployment" };
}
