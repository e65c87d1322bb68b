/** A scratch Postgres database for one benchmark run: created, migrated with the app's own migrations, dropped. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase } from "../../../server/shared/db";
import { applyMigrations } from "../../../server/shared/migrations";

export const adminUrl = process.env.SLIPWAY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type ScratchDb = { name: string; url: string; drop(): Promise<void> };

function urlFor(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createScratchDb(): Promise<ScratchDb> {
  const name = `slipway_bench_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = urlFor(name);
  let dropped = false;
  return {
    name,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export async function migrate(url: string): Promise<string[]> {
  const database = await openDatabase({ databaseUrl: url });
  try {
    return await applyMigrations(database.adapterFactory);
  } finally {
    await database.close();
  }
}

/**
 * Signed-in sessions of random people, made by the app's own session code: the load sends their cookies, as the
 * portal's pages do, so every request pays for the session lookup a real one does.
 */
export async function createSessionCookies(url: string, count: number): Promise<string[]> {
  const { createSession, sessionCookie } = await import("../../../server/identity/sessions");
  const database = await openDatabase({ databaseUrl: url });
  try {
    const people = await database.prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM person ORDER BY random() LIMIT ${count}`;
    const cookies: string[] = [];
    for (const p of people) {
      const session = await createSession(database.prisma, { personId: p.id, method: "demo", hours: 24, userAgent: "slipway-bench" });
      cookies.push(`${sessionCookie}=${session.token}`);
    }
    if (!cookies.length) throw new Error("there is no person to sign in as");
    return cookies;
  } finally {
    await database.close();
  }
}
