import "server-only";
import { clusterRegistry, runningVersions, type EnvironmentVersion, type ServiceLike } from "./index";
import { asAnnotations } from "../catalogue";
import { db } from "../shared/db";
import { Prisma } from "../shared/generated/prisma/client";

/**
 * How an environment of a service is doing now: `failing` when the last rollout that reached it failed (whatever the
 * workload still reports, e.g. a Deployment "progressing" until its deadline), `degraded` when the live workload
 * reports a failed rollout by itself, `healthy` otherwise.
 */
export type EnvironmentHealth = "healthy" | "failing" | "degraded";

/** What a list shows beside a service: the version each environment runs (null: nothing found there). */
export type ListedVersion = Pick<EnvironmentVersion, "tag" | "image" | "state" | "mixed" | "clusters"> & {
  health: EnvironmentHealth;
  /** The version whose rollout failed there, when `failing`. */
  failedVersion: string | null;
};

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
  const [found, failures] = await Promise.all([
    runningVersions([...known, ...rows.map((r) => ({ name: r.name, annotations: asAnnotations(r.annotations) }))]),
    failedRollouts(services.map((s) => (typeof s === "string" ? s : s.name))),
  ]);
  const versions: ServiceVersions["versions"] = {};
  for (const [name, byEnvironment] of Object.entries(found)) {
    versions[name] = Object.fromEntries(
      Object.entries(byEnvironment).map(([env, v]) => {
        if (!v) return [env, null];
        const failedVersion = failures.get(`${name}\u0000${env}`) ?? null;
        const health: EnvironmentHealth = failedVersion !== null ? "failing" : v.state === "failed" ? "degraded" : "healthy";
        return [env, { tag: v.tag, image: v.image, state: v.state, mixed: v.mixed, clusters: v.clusters, health, failedVersion }];
      }),
    );
  }
  return { environments, versions };
}

/** Rollouts that never touched a cluster: they say nothing about what runs there. */
const untouched = ["requested", "awaiting_approval", "rejected", "cancelled", "expired"];

/**
 * The environments whose last rollout that reached a cluster failed, as "service\0environment" -> failed version,
 * for the given services (all components when `names` is undefined). One query, walking the
 * (service, environment, created_at desc) index of rollout.
 */
export async function failedRollouts(names?: string[]): Promise<Map<string, string>> {
  if (names && !names.length) return new Map();
  const prisma = await db();
  const rows = await prisma.$queryRaw<Array<{ service: string; environment: string; state: string; version: string }>>`
    SELECT s.name AS service, latest.environment, latest.state, rel.version
    FROM (
      SELECT DISTINCT ON (r.service_id, r.environment) r.service_id, r.environment, r.state, r.release_id
      FROM rollout r
      WHERE r.state <> ALL(${untouched}::text[])
      ORDER BY r.service_id, r.environment, r.created_at DESC
    ) latest
    JOIN service s ON s.id = latest.service_id
    JOIN release rel ON rel.id = latest.release_id
    WHERE latest.state = 'failed' AND s.kind = 'component' ${names ? Prisma.sql`AND s.name = ANY(${names}::text[])` : Prisma.empty}`;
  return new Map(rows.map((r) => [`${r.service}\u0000${r.environment}`, r.version]));
}

/**
 * The names of the components unhealthy now in some environment: the last rollout there failed (from Postgres), or
 * the live workload reports a failed rollout (from the clusters' watch caches, when they answer within `ms`).
 */
export async function unhealthyServices(ms = 1_500): Promise<Set<string>> {
  const failing = await failedRollouts();
  const names = new Set([...failing.keys()].map((key) => key.split("\u0000")[0]!));
  if (!clusterRegistry().clusters.length) return names;
  const all = await (await db()).service.findMany({ where: { kind: "component" }, select: { name: true, annotations: true } });
  const live = await loadRunningVersionsWithin(
    all.map((r) => ({ name: r.name, annotations: asAnnotations(r.annotations) })),
    ms,
  );
  for (const [name, byEnvironment] of Object.entries(live?.versions ?? {})) {
    if (Object.values(byEnvironment).some((v) => v && v.health !== "healthy")) names.add(name);
  }
  return names;
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
