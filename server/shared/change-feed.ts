import "server-only";
import pg from "pg";
import { z } from "zod";
import { database, type Database } from "./db";
import { logger } from "./logger";

/**
 * What changed in the database, told to every replica within milliseconds of the commit: Postgres LISTEN/NOTIFY on
 * the channel `slipway_change`. Triggers notify of every change to a rollout (its row, targets, checkpoints,
 * approvals), whichever replica or script made it; code notifies of the rest (`notifyChange`). Live views subscribe
 * here instead of polling. On embedded PGlite (one process) the same notifications arrive through PGlite's own
 * listen. A notification is a hint to read again, never the data itself: after a dropped connection subscribers get
 * a `resync` (notifications sent meanwhile are lost), and read everything again.
 */

const channel = "slipway_change";

const changeSchema = z.union([
  z.object({ topic: z.literal("rollout"), id: z.string(), service: z.string().optional(), environment: z.string().optional() }),
  z.object({ topic: z.literal("reconcile") }),
]);
export type Change = z.infer<typeof changeSchema> | { topic: "resync" };
type Listener = (change: Change) => void;

export type ChangeFeed = {
  subscribe(listener: Listener): () => void;
  /** Resolves once the feed listens (changes committed after it are heard). */
  ready(): Promise<void>;
  close(): Promise<void>;
};

/** Sends a change to every replica's feed (at commit, when `db` is a transaction). */
export async function notifyChange(db: Pick<Database["prisma"], "$executeRaw">, change: Exclude<Change, { topic: "resync" }>): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${channel}, ${JSON.stringify(change)})`;
}

function parse(payload: string): Change | undefined {
  try {
    const parsed = changeSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function openChangeFeed(db: Database): ChangeFeed {
  const listeners = new Set<Listener>();
  const emit = (change: Change) => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        logger().error({ err: error }, "a change listener failed");
      }
    }
  };
  const onPayload = (payload: string) => {
    const change = parse(payload);
    if (change) emit(change);
  };
  let closed = false;
  let stop: () => Promise<void> = async () => undefined;
  let ready: Promise<void>;

  if ("pglite" in db.source) {
    const pglite = db.source.pglite;
    ready = pglite.listen(channel, onPayload).then((unlisten) => {
      stop = () => unlisten();
    });
  } else {
    const url = db.source.databaseUrl;
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    let backoffMs = 250;
    let resolveReady!: () => void;
    ready = new Promise((resolve) => (resolveReady = resolve));
    let everConnected = false;
    const connect = async () => {
      if (closed) return;
      const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
      client = next;
      const lost = (error?: Error) => {
        if (client !== next) return;
        client = undefined;
        next.removeAllListeners("notification");
        void next.end().catch(() => undefined);
        if (closed) return;
        logger().warn({ err: error }, "the change feed lost its database connection; reconnecting");
        retry = setTimeout(() => void connect(), backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5_000);
      };
      next.on("error", lost);
      next.on("end", () => lost());
      next.on("notification", (message) => {
        if (message.channel === channel && message.payload) onPayload(message.payload);
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${channel}`);
      } catch (error) {
        lost(error as Error);
        return;
      }
      backoffMs = 250;
      // Whatever changed while nobody listened is read again by every subscriber.
      if (everConnected) emit({ topic: "resync" });
      everConnected = true;
      resolveReady();
    };
    void connect();
    stop = async () => {
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    };
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: () => ready,
    async close() {
      closed = true;
      listeners.clear();
      await ready.catch(() => undefined);
      await stop();
    },
  };
}

const feedKey = Symbol.for("slipway.changeFeed");
type Globals = typeof globalThis & { [feedKey]?: { database: Database; feed: ChangeFeed } };

/**
 * The process's one feed on its database (shared by the custom server and the Next.js bundles): one LISTEN
 * connection per replica, however many live views are open.
 */
export async function changeFeed(): Promise<ChangeFeed> {
  const g = globalThis as Globals;
  const current = await database();
  if (g[feedKey]?.database !== current) {
    const previous = g[feedKey]?.feed;
    g[feedKey] = { database: current, feed: openChangeFeed(current) };
    void previous?.close();
  }
  return g[feedKey].feed;
}

/** Closes the process's feed (shutdown). */
export async function closeChangeFeed(): Promise<void> {
  const g = globalThis as Globals;
  const feed = g[feedKey]?.feed;
  delete g[feedKey];
  await feed?.close();
}
