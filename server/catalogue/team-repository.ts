import "server-only";
import { Prisma } from "../shared/generated/prisma/client";
import type { DbTx } from "../shared/db";
import { decodeCursor, encodeCursor } from "./cursor";
import { searchTerms } from "./search-terms";
import { toSummary } from "./service-repository";
import { linkSchema, type ServiceKind, type TeamDetail, type TeamPage, type TeamQuery } from "./types";

type TeamRow = { name: string; title: string | null; type: string; parent: string | null; members: number; services: number };

function teamSearch(q: string): Prisma.Sql {
  const terms = searchTerms(q);
  return terms.short
    ? Prisma.sql`lower(t.name) LIKE ${terms.prefix}`
    : Prisma.sql`lower(t.name || ' ' || coalesce(t.title, '')) LIKE ${terms.contains}`;
}

export async function findTeamPage(db: DbTx, query: TeamQuery): Promise<TeamPage> {
  const cursor = decodeCursor(query.cursor);
  const where: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query.q) where.push(teamSearch(query.q));
  if (cursor) where.push(Prisma.sql`t.name > ${String(cursor[0])}`);
  const rows = await db.$queryRaw<TeamRow[]>`
    SELECT t.name, t.title, t.type, p.name AS parent,
      (SELECT count(*) FROM membership m WHERE m.team_id = t.id)::int AS members,
      (SELECT count(*) FROM service s WHERE s.kind = 'component' AND s.team_id = t.id)::int AS services
    FROM team t LEFT JOIN team p ON p.id = t.parent_id
    WHERE ${Prisma.join(where, " AND ")} ORDER BY t.name LIMIT ${query.limit + 1}`;
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
  return db.$queryRaw<Array<{ name: string; title: string | null; type: string }>>`
    SELECT t.name, t.title, t.type FROM team t WHERE ${teamSearch(q)}
    ORDER BY (CASE WHEN t.name = ${terms.lower} THEN 0 WHEN t.name LIKE ${terms.prefix} THEN 1 ELSE 2 END), t.name
    LIMIT ${limit}`;
}

/** A team page lists at most this many services; the catalogue filtered by team shows them all. */
export const teamServiceLimit = 500;

export async function findTeamDetail(db: DbTx, name: string): Promise<TeamDetail | null> {
  const team = await db.team.findUnique({
    where: { name },
    include: {
      parent: { select: { name: true, title: true } },
      children: { select: { name: true, title: true, type: true }, orderBy: { name: "asc" } },
      memberships: {
        select: { role: true, person: { select: { name: true, displayName: true, email: true } } },
      },
      services: {
        where: { kind: "component" },
        orderBy: { name: "asc" },
        take: teamServiceLimit,
        select: { name: true, kind: true, title: true, description: true, type: true, tier: true, lifecycle: true, tags: true },
      },
    },
  });
  if (!team) return null;
  const ancestors = await db.$queryRaw<Array<{ name: string; title: string | null; depth: number }>>`
    WITH RECURSIVE up AS (
      SELECT p.id, p.name, p.title, p.parent_id, 1 AS depth FROM team p WHERE p.id = ${team.parentId}::uuid
      UNION ALL
      SELECT p.id, p.name, p.title, p.parent_id, up.depth + 1 FROM team p JOIN up ON p.id = up.parent_id WHERE up.depth < 20
    ) SELECT name, title, depth FROM up ORDER BY depth DESC`;
  const links = linkSchema.array().safeParse(team.links);
  return {
    name: team.name,
    title: team.title,
    description: team.description,
    type: team.type,
    email: team.email,
    chatChannel: team.chatChannel,
    links: links.success ? links.data : [],
    parent: team.parent,
    ancestors: ancestors.map((a) => ({ name: a.name, title: a.title })),
    children: team.children,
    members: team.memberships
      .map((m) => ({ ...m.person, role: m.role }))
      .sort((a, b) => (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name)),
    services: team.services.map((s) => toSummary({ ...s, kind: s.kind as ServiceKind, team: team.name, updated_at: new Date(0), id: "" })),
  };
}
