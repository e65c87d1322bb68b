import "server-only";
import { z } from "zod";
import { Prisma } from "../shared/generated/prisma/client";
import { type DbTx } from "../shared/db";
import { safeDateTime } from "../shared/input";
import { decodeCursor, encodeCursor } from "./cursor";
import { searchTerms } from "./search-terms";
import { type Count, countServices } from "./service-counts";
import { type SummaryRow, and, conditions, pickedPage, searchCondition, summaryColumns, toSummary } from "./service-filters";
import { descriptionWalkThreshold, relevancePage, sortedSearchWalkThreshold } from "./service-search";
import type { ServicePage, ServiceQuery, ServiceSort } from "./types";

/** A page of services in any order: keyset cursors per sort, relevance through service-search, counts beside. */

function effectiveSort(query: ServiceQuery): ServiceSort {
  if (query.sort === "relevance" && !query.q) return "name";
  return query.sort ?? (query.q ? "relevance" : "name");
}

/** What a cursor holds in each order: the sort key of the page's last row. */
const cursorShapes: Record<ServiceSort, z.ZodType<Array<string | number>>> = {
  relevance: z.tuple([z.number().int().min(0).max(3), z.string()]),
  name: z.tuple([z.string()]),
  "-name": z.tuple([z.string()]),
  updated: z.tuple([safeDateTime(), z.guid()]),
  tier: z.tuple([z.number().int().min(0).max(99), z.string()]),
};

/** ORDER BY, the keyset condition after the cursor, and how to make the next cursor, per sort (relevance: relevancePage). */
function ordering(sort: Exclude<ServiceSort, "relevance">, cursor: Array<string | number> | undefined) {
  const c = cursor ?? [];
  switch (sort) {
    case "-name":
      return {
        orderBy: Prisma.sql`s.name DESC`,
        after: cursor ? Prisma.sql`s.name < ${String(c[0])}` : undefined,
        next: (r: SummaryRow) => [r.name],
      };
    case "updated":
      return {
        orderBy: Prisma.sql`s.updated_at DESC, s.id`,
        after: cursor
          ? // The first conjunct is the index range (kind, updated_at DESC, id); the second drops what the page had.
            Prisma.sql`s.updated_at <= ${String(c[0])}::timestamptz AND (s.updated_at < ${String(c[0])}::timestamptz OR s.id > ${String(c[1])}::uuid)`
          : undefined,
        next: (r: SummaryRow) => [r.updated_at.toISOString(), r.id],
      };
    case "tier": {
      const tier = Prisma.sql`coalesce(s.tier, 99)`;
      return {
        orderBy: Prisma.sql`${tier}, s.name`,
        after: cursor ? Prisma.sql`(${tier}, s.name) > (${Number(c[0])}::int, ${String(c[1])})` : undefined,
        next: (r: SummaryRow) => [r.tier ?? 99, r.name],
      };
    }
    default:
      return {
        orderBy: Prisma.sql`s.name`,
        after: cursor ? Prisma.sql`s.name > ${String(c[0])}` : undefined,
        next: (r: SummaryRow) => [r.name],
      };
  }
}

export async function findServicePage(db: DbTx, query: ServiceQuery): Promise<ServicePage> {
  const sort = effectiveSort(query);
  const cursor = decodeCursor(query.cursor, cursorShapes[sort]);
  let rows: SummaryRow[];
  let count: Count;
  let next: (r: SummaryRow) => Array<string | number>;
  if (sort === "relevance") {
    // The count comes first: how many names and titles match decides how the page is best read.
    // Longer text counts description-only matches further: past descriptionWalkThreshold, rank 3 is walked.
    count = await countServices(db, query, { restTo: searchTerms(query.q ?? "").short ? undefined : descriptionWalkThreshold });
    rows = count.total === 0 ? [] : await relevancePage(db, query, cursor, query.limit + 1, count);
    next = (r) => [Number(r.rank), r.name];
  } else {
    const order = ordering(sort, cursor);
    const where = conditions(query);
    if (order.after) where.push(order.after);
    const page = Prisma.sql`WHERE ${and(where)} ORDER BY ${order.orderBy} LIMIT ${query.limit + 1}`;
    if (query.q) {
      // A search in another order: when the count found few matches they come from the search indexes and are
      // sorted (fenced by OFFSET 0); walking an index in that order would test the search on thousands of rows,
      // reading each (the search document is only in the table), so "many" starts at 1 in 50 here.
      count = await countServices(db, query, { searchCountTo: sortedSearchWalkThreshold });
      const many = count.matches! > sortedSearchWalkThreshold;
      rows =
        count.total === 0
          ? []
          : await db.$queryRaw<SummaryRow[]>`SELECT * FROM (SELECT ${summaryColumns} FROM service s LEFT JOIN team t ON t.id = s.team_id
        WHERE ${and(where)} ${many ? Prisma.empty : Prisma.sql`OFFSET 0`}) s ORDER BY ${order.orderBy} LIMIT ${query.limit + 1}`;
    } else {
      [rows, count] = await Promise.all([
        // A tag filter has no index in name order to walk: the page is picked from the covering index.
        query.tag.length
          ? db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM ${pickedPage(page)} ORDER BY ${order.orderBy}`
          : db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM service s LEFT JOIN team t ON t.id = s.team_id ${page}`,
        countServices(db, query),
      ]);
    }
    next = order.next;
  }
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursor(next(last)) : null,
    total: count.total,
    totalIsLowerBound: count.lowerBound,
  };
}

export async function quickSearchServices(db: DbTx, q: string, limit: number) {
  const terms = searchTerms(q);
  const rows = await db.$queryRaw<SummaryRow[]>`SELECT ${summaryColumns} FROM service s
    LEFT JOIN team t ON t.id = s.team_id
    WHERE ${searchCondition(q)}
    ORDER BY (CASE WHEN s.name = ${terms.lower} THEN 0 WHEN s.name LIKE ${terms.prefix} THEN 1 ELSE 2 END),
      (s.kind <> 'component'), length(s.name), s.name
    LIMIT ${limit}`;
  return rows.map(toSummary);
}
