import { afterAll } from "vitest";
import { KubeClusterGateway, type KubeGatewayOptions } from "../../../server/cluster/kube-gateway";
import { setClusterRegistry } from "../../../server/cluster/cluster-registry";
import type { WatchHubOptions } from "../../../server/cluster/watch-hub";
import { startKubeSim, type KubeSim, type KubeSimOptions, type SeedWorkload } from "../../../server/demo/kube-sim";
import type { ClusterConfig } from "../../../server/shared/config-file";

/** Real simulator instances on 127.0.0.1, reached through the production client-node code path. */

const started: KubeSim[] = [];

export async function startSim(options: KubeSimOptions = {}, workloads: SeedWorkload[] = []): Promise<KubeSim> {
  const sim = await startKubeSim({ clock: "manual", ...options });
  started.push(sim);
  if (workloads.length) await sim.seedWorkloads(workloads);
  return sim;
}

export function stopSimsAfterAll(): void {
  afterAll(async () => {
    setClusterRegistry(null);
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
}

export function clusterConfig(name: string, environment: string, sim: KubeSim, extra: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    name,
    environment,
    connection: { server: sim.url, token: sim.adminToken },
    impersonate: false,
    timeoutSeconds: 3,
    ...extra,
  };
}

export function gatewayFor(sim: KubeSim, extra: Partial<ClusterConfig> = {}, options: KubeGatewayOptions = {}): KubeClusterGateway {
  return new KubeClusterGateway(clusterConfig(extra.name ?? "staging", extra.environment ?? "staging", sim, extra), options);
}

/** Installs staging (and optionally production) clusters as the process registry. */
export function installRegistry(
  clusters: Array<{ name: string; environment: string; sim: KubeSim; extra?: Partial<ClusterConfig> }>,
  options: { watch?: WatchHubOptions; gateway?: KubeGatewayOptions } = {},
): void {
  setClusterRegistry({
    environments: [
      { name: "staging", title: "Staging" },
      { name: "production", title: "Production", production: true },
    ],
    clusters: clusters.map((c) => clusterConfig(c.name, c.environment, c.sim, c.extra)),
    namespaceOwners: { cards: ["cards"], "payments-core": ["payments-core"] },
    watch: { lingerMs: 200, maxBackoffMs: 200, ...options.watch },
    ...(options.gateway ? { gateway: options.gateway } : {}),
  });
}

export const cardApi = (image = "registry.example/card-api:1.0.0", extra: Partial<SeedWorkload> = {}): SeedWorkload => ({
  namespace: "cards",
  name: "card-api",
  image,
  replicas: 3,
  labels: { "backstage.io/kubernetes-id": "card-api" },
  ...extra,
});

export const cardService = {
  name: "card-api",
  team: "cards",
  annotations: { "backstage.io/kubernetes-id": "card-api", "backstage.io/kubernetes-namespace": "cards" },
};

export async function until<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 3000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
