import "server-only";
import { z } from "zod";
import { slipwayConfigSchema, type ClusterConfig, type NamespaceOwners } from "../shared/config-file";
import { toClusterError } from "./cluster-errors";
import type { ClusterGateway } from "./gateway";
import { KubeClusterGateway, type KubeGatewayOptions } from "./kube-gateway";
import type { ClusterError } from "./types";
import { WatchHub, type WatchHubOptions } from "./watch-hub";

/**
 * The clusters in force for this process. The custom server and the Next.js bundles load modules separately, so
 * the configuration and the one watch hub live on globalThis; each module copy builds its own gateways from the
 * shared configuration, so the errors they throw are that copy's error classes.
 */

type ClusterInput = NonNullable<z.input<typeof slipwayConfigSchema>["clusters"]>[number];

export type EnvironmentInfo = { name: string; title: string; production: boolean };

export type ClusterRegistryInput = {
  environments: Array<{ name: string; title?: string; production?: boolean }>;
  /** Entries as the config file's `clusters` (timeoutSeconds and impersonate have defaults). */
  clusters: ClusterInput[];
  /** Which squads own which namespaces, on every cluster (a cluster's own `namespaceOwners` replaces entries). */
  namespaceOwners?: NamespaceOwners;
  gateway?: KubeGatewayOptions;
  watch?: WatchHubOptions;
};

type RegistryState = {
  environments: EnvironmentInfo[];
  clusters: ClusterConfig[];
  namespaceOwners: NamespaceOwners;
  gatewayOptions: KubeGatewayOptions;
  watchOptions: WatchHubOptions;
  hub?: WatchHub;
};

const globalKey = Symbol.for("slipway.clusterRegistry");
type WithRegistry = typeof globalThis & { [globalKey]?: RegistryState };

const gatewaysByState = new WeakMap<RegistryState, Map<string, ClusterGateway>>();

function fromInput(input: ClusterRegistryInput): RegistryState {
  const parsed = slipwayConfigSchema.parse({
    environments: input.environments.map((e) => ({ name: e.name, ...(e.title ? { title: e.title } : {}), production: e.production ?? false })),
    clusters: input.clusters,
    namespaceOwners: input.namespaceOwners ?? {},
  });
  return {
    environments: parsed.environments.map((e) => ({ name: e.name, title: e.title ?? e.name, production: e.production })),
    clusters: parsed.clusters,
    namespaceOwners: parsed.namespaceOwners,
    gatewayOptions: input.gateway ?? {},
    watchOptions: input.watch ?? {},
  };
}

/** Before the composition root installs clusters (and in tests that need none): no cluster. */
function empty(): RegistryState {
  return { environments: [], clusters: [], namespaceOwners: {}, gatewayOptions: {}, watchOptions: {} };
}

function state(): RegistryState {
  const g = globalThis as WithRegistry;
  g[globalKey] ??= empty();
  return g[globalKey];
}

/** Installs the clusters: the composition root's setter (from the config file or the embedded default), and tests'. */
export function setClusterRegistry(input: ClusterRegistryInput | null): void {
  const g = globalThis as WithRegistry;
  g[globalKey]?.hub?.stop();
  g[globalKey] = input ? fromInput(input) : undefined;
}

function gatewaysOf(s: RegistryState): Map<string, ClusterGateway> {
  let gateways = gatewaysByState.get(s);
  if (!gateways) {
    gateways = new Map(s.clusters.map((c) => [c.name, new KubeClusterGateway(c, s.gatewayOptions) as ClusterGateway]));
    gatewaysByState.set(s, gateways);
  }
  return gateways;
}

function ownersOn(s: RegistryState, cluster: string): NamespaceOwners {
  const own = s.clusters.find((c) => c.name === cluster)?.namespaceOwners;
  return own ? { ...s.namespaceOwners, ...own } : s.namespaceOwners;
}

export type ClusterRegistry = {
  environments: EnvironmentInfo[];
  clusters: ClusterGateway[];
  gateway(name: string): ClusterGateway | undefined;
  inEnvironment(environment: string): ClusterGateway[];
  /** The squads that own a namespace on a cluster; empty when nobody does (then no service may act there). */
  namespaceOwners(cluster: string, namespace: string): string[];
  /** Whether any cluster assigns this namespace to the squad. */
  squadOwnsNamespace(team: string, namespace: string): boolean;
  /** The namespaces a squad owns on a cluster. */
  namespacesOf(cluster: string, team: string): string[];
  /** Whether the configuration assigns any namespace to a squad at all. */
  hasNamespaceOwners: boolean;
  hub(): WatchHub;
};

export function clusterRegistry(): ClusterRegistry {
  const s = state();
  const gateways = gatewaysOf(s);
  const ordered = s.clusters.map((c) => gateways.get(c.name)!);
  return {
    environments: s.environments,
    clusters: ordered,
    gateway: (name) => gateways.get(name),
    inEnvironment: (environment) => ordered.filter((g) => g.environment === environment),
    namespaceOwners: (cluster, namespace) => ownersOn(s, cluster)[namespace] ?? [],
    squadOwnsNamespace: (team, namespace) => [{ name: "" }, ...s.clusters].some((c) => (ownersOn(s, c.name)[namespace] ?? []).includes(team)),
    hasNamespaceOwners: Object.keys(s.namespaceOwners).length > 0 || s.clusters.some((c) => Object.keys(c.namespaceOwners ?? {}).length > 0),
    namespacesOf: (cluster, team) =>
      Object.entries(ownersOn(s, cluster))
        .filter(([, teams]) => teams.includes(team))
        .map(([namespace]) => namespace),
    hub() {
      s.hub ??= new WatchHub((name) => gateways.get(name), s.watchOptions);
      return s.hub;
    },
  };
}

/**
 * Runs `fn` against every cluster (of one environment) at once. One failing cluster never fails the caller:
 * its failure comes back in `errors`.
 */
export async function forEachCluster<T>(
  environment: string | undefined,
  fn: (gateway: ClusterGateway) => Promise<T>,
): Promise<{ data: T[]; errors: ClusterError[] }> {
  const registry = clusterRegistry();
  const gateways = environment ? registry.inEnvironment(environment) : registry.clusters;
  const settled = await Promise.allSettled(gateways.map((g) => fn(g)));
  const data: T[] = [];
  const errors: ClusterError[] = [];
  settled.forEach((result, i) => {
    if (result.status === "fulfilled") data.push(result.value);
    else errors.push(toClusterError(gateways[i]!, result.reason));
  });
  return { data, errors };
}
