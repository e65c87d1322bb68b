import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";
import type { ServiceColumns } from "./service-filters";
import { linkSchema, type EntityRef, type ServiceDetail, type ServiceKind } from "./types";

function asLinks(value: unknown) {
  const parsed = linkSchema.array().safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** A service's annotations as stored (JSON): string values only. */
export function asAnnotations(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

type EdgeRow = {
  relation: string;
  kind: string;
  name: string;
  exists: boolean;
  title: string | null;
  description: string | null;
  team: string | null;
  tier: number | null;
  lifecycle: string | null;
};

type DetailRow = ServiceColumns & {
  system_name: string | null;
  repository_url: string | null;
  links: unknown;
  annotations: unknown;
  definition: string | null;
  created_at: Date;
  updated_at: Date;
  team_name: string | null;
  team_title: string | null;
  team_email: string | null;
  team_chat_channel: string | null;
  outgoing: EdgeRow[];
  incoming: EdgeRow[];
};

/**
 * An edge's far end as summarised in JSON by the statement below: `x` is the far end's row (NULL when the catalogue
 * does not hold it), `xt` its team; its kind and name come from the columns given, which name it either way.
 */
const edgeJson = (kind: "d.target_kind" | "x.kind", name: "d.target_name" | "x.name") =>
  Prisma.raw(`json_build_object('relation', d.relation, 'kind', ${kind},
    'name', ${name}, 'exists', x.id IS NOT NULL, 'title', x.title,
    'description', x.description, 'team', xt.name, 'tier', x.tier, 'lifecycle', x.lifecycle)`);

/**
 * The service, its owner, and both directions of its edges with a summary of each far end, in one statement: a
 * service page is read far more often than anything changes, and every round trip costs more than the reading.
 */
export async function findServiceDetail(db: DbTx, kind: ServiceKind, name: string): Promise<ServiceDetail | null> {
  const [row] = await db.$queryRaw<DetailRow[]>(
    cachedPlan(Prisma.sql`
    SELECT s.name, s.kind, s.title, s.description, s.type, s.tier, s.lifecycle, s.tags, s.system_name, s.repository_url,
      s.links, s.annotations, s.definition, s.created_at, s.updated_at,
      t.name AS team_name, t.title AS team_title, t.email AS team_email, t.chat_channel AS team_chat_channel,
      coalesce((SELECT json_agg(${edgeJson("d.target_kind", "d.target_name")}) FROM dependency d
        LEFT JOIN service x ON x.kind = d.target_kind AND x.name = d.target_name LEFT JOIN team xt ON xt.id = x.team_id
        WHERE d.service_id = s.id), '[]') AS outgoing,
      coalesce((SELECT json_agg(${edgeJson("x.kind", "x.name")}) FROM dependency d
        JOIN service x ON x.id = d.service_id LEFT JOIN team xt ON xt.id = x.team_id
        WHERE d.target_kind = s.kind AND d.target_name = s.name), '[]') AS incoming
    FROM service s LEFT JOIN team t ON t.id = s.team_id
    WHERE s.kind = ${kind} AND s.name = ${name}`),
  );
  if (!row) return null;

  const { outgoing, incoming } = row;
  // Outgoing edges may name entities the catalogue does not hold (yet): those carry only their reference.
  const ref = (e: EdgeRow): EntityRef =>
    e.exists
      ? { kind: e.kind, name: e.name, title: e.title, description: e.description, team: e.team, tier: e.tier, lifecycle: e.lifecycle, exists: true }
      : { kind: e.kind, name: e.name, title: null, exists: false };
  const byName = (a: EntityRef, b: EntityRef) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
  const pick = (list: EdgeRow[], relation: string) =>
    list
      .filter((e) => e.relation === relation)
      .map(ref)
      .sort(byName);

  return {
    name: row.name,
    kind: row.kind,
    title: row.title,
    description: row.description,
    type: row.type,
    tier: row.tier,
    lifecycle: row.lifecycle,
    tags: row.tags ?? [],
    team: row.team_name ? { name: row.team_name, title: row.team_title, email: row.team_email, chatChannel: row.team_chat_channel } : null,
    system: row.system_name,
    repositoryUrl: row.repository_url,
    links: asLinks(row.links),
    annotations: asAnnotations(row.annotations),
    definition: row.definition,
    dependsOn: pick(outgoing, "dependsOn"),
    dependents: pick(incoming, "dependsOn"),
    apis: { provides: pick(outgoing, "providesApi"), consumes: pick(outgoing, "consumesApi") },
    providers: pick(incoming, "providesApi"),
    consumers: pick(incoming, "consumesApi"),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
