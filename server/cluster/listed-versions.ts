import "server-only";
import { clusterRegistry, runningVersions, type EnvironmentVersion, type ServiceLike } from "./index";
import { asAnnotations } from "../catalogue/service-detail-repository";
import { db } from "../shared/db";

/** What a list shows beside a service: the version each environment runs (null: nothing found there). */
export type ListedVersion = Pick<EnvironmentVersion, "tag" | "image" | "state" | "mixed" | "clusters">;

export type ServiceVersions = {
  /** The environments, in the configured order (so every row lists them the same way). */
  environments: Array<{ name: string; title: string; production: boolean }>;
  /** service name -> environment name -> version. */
  versions: Record<string, Record<string, ListedVersion | null>>;
};

/** How many services one API call may ask about. */
export const maxVersionNames = 200;

/**
 * The running version per environment of the given services, from the clusters' watch caches. Services given by
 * name get their Kubernetes annotations from the catalogue (so one mapped to a differently named workload is
 * found); a caller that has read the service already passes it with its annotations.
 */
export async function loadRunningVersions(services: Array<string | ServiceLike>): Promise<ServiceVersions> {
  const registry = clusterRegistry();
  const environments = registry.environments.map((e) => ({ name: e.name, title: e.title, production: e.production }));
  if (!registry.clusters.length || !services.length) return { environments, versions: {} };
  const known = services.filter((s): s is ServiceLike => typeof s !== "string");
  const names = [...new Set(services.filter((s): s is string => typeof s === "string"))];
  const rows = names.length
    ? await (await db()).service.findMany({ where: { kind: "component", name: { in: names } }, select: { name: true, annotations: true } })
    : [];
  const found = await runningVersions([...known, ...rows.map((r) => ({ name: r.name, annotations: asAnnotations(r.annotations) }))]);
  const versions: ServiceVersions["versions"] = {};
  for (const [name, byEnvironment] of Object.entries(found)) {
    versions[name] = Object.fromEntries(
      Object.entries(byEnvironment).map(([env, v]) => [env, v ? { tag: v.tag, image: v.image, state: v.state, mixed: v.mixed, clusters: v.clusters } : null]),
    );
  }
  return { environments, versions };
}

/** loadRunningVersions, or null when the clusters do not answer within `ms` (the page then asks from the browser). */
export async function loadRunningVersionsWithin(services: Array<string | ServiceLike>, ms: number): Promise<ServiceVersions | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([loadRunningVersions(services).catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
