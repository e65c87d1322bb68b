import "server-only";
import { clusterRegistry, runningVersions, type EnvironmentVersion } from "./index";
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

export const maxVersionNames = 200;

/**
 * The running version per environment of the named services, from the clusters' watch caches. The services'
 * Kubernetes annotations come from the catalogue, so a service mapped to a differently named workload is found.
 */
export async function loadRunningVersions(names: string[]): Promise<ServiceVersions> {
  const registry = clusterRegistry();
  const environments = registry.environments.map((e) => ({ name: e.name, title: e.title, production: e.production }));
  const wanted = [...new Set(names)].slice(0, maxVersionNames);
  if (!registry.clusters.length || !wanted.length) return { environments, versions: {} };
  const prisma = await db();
  const rows = await prisma.service.findMany({ where: { kind: "component", name: { in: wanted } }, select: { name: true, annotations: true } });
  const found = await runningVersions(
    rows.map((r) => ({ name: r.name, annotations: asAnnotations(r.annotations) })),
  );
  const versions: ServiceVersions["versions"] = {};
  for (const [name, byEnvironment] of Object.entries(found)) {
    versions[name] = Object.fromEntries(
      Object.entries(byEnvironment).map(([env, v]) => [env, v ? { tag: v.tag, image: v.image, state: v.state, mixed: v.mixed, clusters: v.clusters } : null]),
    );
  }
  return { environments, versions };
}

/** loadRunningVersions, or null when the clusters do not answer within `ms` (the page then asks from the browser). */
export async function loadRunningVersionsWithin(names: string[], ms: number): Promise<ServiceVersions | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([loadRunningVersions(names).catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}
