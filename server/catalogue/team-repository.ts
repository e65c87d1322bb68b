import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import { cachedPlan, type DbTx } from "../shared/db";
import { decodeCursor, encodeCursor } from "./cursor";
import { searchTerms } from "./search-terms";
import { toSummary, type ServiceColumns } from "./service-filters";
import { linkSchema, type TeamDetail, type TeamPage, type TeamQuery } from "./types";

type TeamRow = { name: string; title: string | null; type: string; parent: string | null; members: number; services: number };

function teamSearch(q: string): Prisma.Sql {
  const terms = searchTerms(q);
  return terms.short ? Prisma.sql`lower(t.name) LIKE ${terms.prefix}` : Prisma.sql`lower(t.name || ' ' || coalesce(t.title, '')) LIKE ${terms.contains}`;
}

export async function findTeamPage(db: DbTx, query: TeamQuery): Promise<TeamPage> {
  const cursor = decodeCursor(query.cursor);
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.q) where.push(teamSearch(query.q));
  if (cursor) where.push(Prisma.sql`t.name > ${String(cursor[0])}`);
  const rows = await db.$queryRaw<TeamRow[]>(
    cachedPlan(Prisma.sql`
    SELECT t.name, t.title, t.type, p.name AS parent,
      (SELECT count(*) FROM membership m WHERE m.team_id = t.id)::int AS members,
      (SELECT count(*) FROM service s WHERE s.kind = 'component' AND s.team_id = t.id)::int AS services
    FROM team t LEFT JOIN team p ON p.id = t.parent_id
    WHERE ${Prisma.join(where, " AND ")} ORDER BY t.name LIMIT ${query.limit + 1}`),
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      name: r.name,
      title: r.title,
      type: r.type,
      parent: r.parent,
      memberCount: Number(r.members),
      serviceCount: Number(r.services),
    })),
    nextCursor: rows.length > query.limit && page.length ? encodeCursor([page.at(-1)!.name]) : null,
  };
}

export async function quickSearchTeams(db: DbTx, q: string, limit: number) {
  const terms = searchTerms(q);
  return db.$queryRaw<Array<{ name: string; title: string | null; type: string }>>(
    cachedPlan(Prisma.sql`
    SELECT t.name, t.title, t.type FROM team t WHERE ${teamSearch(q)}
    ORDER BY (CASE WHEN t.name = ${terms.lower} THEN 0 WHEN t.name LIKE ${terms.prefix} THEN 1 ELSE 2 END), t.name
    LIMIT ${limit}`),
  );
}

/** A team page lists at most this many services; the catalogue filtered by team shows them all. */
export const teamServiceLimit = 500;

type TeamDetailRow = {
  id: string;
  name: string;
  title: string | null;
  description: string | null;
  type: string;
  email: string | null;
  chat_channel: string | null;
  links: unknown;
  parent: { name: string; title: string | null } | null;
  ancestors: Array<{ name: string; title: string | null }>;
  children: Array<{ name: string; title: string | null; type: string }>;
  members: Array<{ name: string; displayName: string | null; email: string | null; role: string }>;
  services: ServiceColumns[];
};

/** The team with its ancestry, sub-teams, members and (up to `teamServiceLimit`) services, in one statement. */
export async function findTeamDetail(db: DbTx, name: string): Promise<TeamDetail | null> {
  const [team] = await db.$queryRaw<TeamDetailRow[]>(
    cachedPlan(Prisma.sql`
    SELECT t.id, t.name, t.title, t.description, t.type, t.email, t.chat_channel, t.links,
      (SELECT json_build_object('name', p.name, 'title', p.title) FROM team p WHERE p.id = t.parent_id) AS parent,
      (WITH RECURSIVE up AS (
         SELECT p.id, p.name, p.title, p.parent_id, 1 AS depth FROM team p WHERE p.id = t.parent_id
         UNION ALL
         SELECT p.id, p.name, p.title, p.parent_id, up.depth + 1 FROM team p JOIN up ON p.id = up.parent_id WHERE up.depth < 20
       ) SELECT coalesce(json_agg(json_build_object('name', up.name, 'title', up.title) ORDER BY up.depth DESC), '[]') FROM up
      ) AS ancestors,
      (SELECT coalesce(json_agg(json_build_object('name', c.name, 'title', c.title, 'type', c.type) ORDER BY c.name), '[]')
        FROM team c WHERE c.parent_id = t.id) AS children,
      (SELECT coalesce(json_agg(json_build_object('name', p.name, 'displayName', p.display_name, 'email', p.email, 'role', m.role)), '[]')
        FROM membership m JOIN person p ON p.id = m.person_id WHERE m.team_id = t.id) AS members,
      (SELECT coalesce(json_agg(json_build_object('name', s.name, 'kind', s.kind, 'title', s.title, 'description', s.description,
          'type', s.type, 'tier', s.tier, 'lifecycle', s.lifecycle, 'tags', s.tags) ORDER BY s.name), '[]')
        FROM (SELECT * FROM service s WHERE s.kind = 'component' AND s.team_id = t.id ORDER BY s.name LIMIT ${teamServiceLimit}) s
      ) AS services
    FROM team t WHERE t.name = ${name}`),
  );
  if (!team) return null;
  const links = linkSchema.array().safeParse(team.links);
  return {
    name: team.name,
    title: team.title,
    description: team.description,
    type: team.type,
    email: team.email,
    chatChannel: team.chat_channel,
    links: links.success ? links.data : [],
    parent: team.parent,
    ancestors: team.ancestors,
    children: team.children,
    members: team.members.sort((a, b) => (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name)),
    services: team.services.map((s) => toSummary({ ...s, team: team.name })),
  };
}
