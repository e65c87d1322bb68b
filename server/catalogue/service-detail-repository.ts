import "server-only";
import type { DbTx } from "../shared/db";
import { linkSchema, type EntityRef, type ServiceDetail, type ServiceKind } from "./types";
import { findServiceSummaries } from "./service-repository";

type Edge = { relation: string; targetKind: string; targetName: string };

function asLinks(value: unknown) {
  const parsed = linkSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** A service's annotations as stored (JSON): string values only. */
export function asAnnotations(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export async function findServiceDetail(db: DbTx, kind: ServiceKind, name: string): Promise<ServiceDetail | null> {
  // The entity and the edges pointing at it (who depends on it, and for an API who provides and consumes it) are
  // independent reads: ask both at once.
  const [service, incoming] = await Promise.all([
    db.service.findUnique({
      where: { kind_name: { kind, name } },
      include: {
        team: { select: { name: true, title: true, email: true, chatChannel: true } },
        dependencies: { select: { relation: true, targetKind: true, targetName: true } },
      },
    }),
    db.dependency.findMany({
      where: { targetKind: kind, targetName: name },
      select: { relation: true, service: { select: { kind: true, name: true } } },
    }),
  ]);
  if (!service) return null;

  const outgoing: Edge[] = service.dependencies;
  const refs = [
    ...outgoing.map((e) => ({ kind: e.targetKind, name: e.targetName })),
    ...incoming.map((e) => ({ kind: e.service.kind, name: e.service.name })),
  ];
  const summaries = await findServiceSummaries(db, refs);
  const byRef = new Map(summaries.map((s) => [`${s.kind}:${s.name}`, s]));
  const ref = (k: string, n: string): EntityRef => {
    const s = byRef.get(`${k}:${n}`);
    return s
      ? { kind: k, name: n, title: s.title, description: s.description, team: s.team, tier: s.tier, lifecycle: s.lifecycle, exists: true }
      : { kind: k, name: n, title: null, exists: false };
  };
  const byName = (a: EntityRef, b: EntityRef) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
  const out = (relation: string) =>
    outgoing.filter((e) => e.relation === relation).map((e) => ref(e.targetKind, e.targetName)).sort(byName);
  const into = (relation: string) =>
    incoming.filter((e) => e.relation === relation).map((e) => ref(e.service.kind, e.service.name)).sort(byName);

  return {
    name: service.name,
    kind: service.kind as ServiceKind,
    title: service.title,
    description: service.description,
    type: service.type,
    tier: service.tier,
    lifecycle: service.lifecycle,
    tags: service.tags,
    team: service.team,
    system: service.systemName,
    repositoryUrl: service.repositoryUrl,
    links: asLinks(service.links),
    annotations: asAnnotations(service.annotations),
    definition: service.definition,
    dependsOn: out("dependsOn"),
    dependents: into("dependsOn"),
    apis: { provides: out("providesApi"), consumes: out("consumesApi") },
    providers: into("providesApi"),
    consumers: into("consumesApi"),
    createdAt: service.createdAt.toISOString(),
    updatedAt: service.updatedAt.toISOString(),
  };
}
