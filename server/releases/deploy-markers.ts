import "server-only";
import { changeFeed, type ChangeFeed } from "../shared/change-feed";
import type { Db } from "../shared/db";

/** A rollout as a line on a chart: when it started, what it brought, who asked and approved, how it ended. */
export type DeployMarker = {
  rolloutId: string;
  version: string;
  kind: "deploy" | "rollback";
  state: string;
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string;
  approvedBy: string[];
};

const shown = ["applying", "progressing", "succeeded", "failed", "rolled_back", "superseded"];

/** Every rollout of a service that reached an environment's clusters within [from, to], oldest first. */
export async function deployMarkers(db: Db, service: string, environment: string, from: Date, to: Date): Promise<DeployMarker[]> {
  const rows = await db.rollout.findMany({
    where: {
      service: { kind: "component", name: service },
      environment,
      state: { in: shown },
      OR: [{ startedAt: { gte: from, lte: to } }, { startedAt: null, approvedAt: { gte: from, lte: to } }],
    },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: {
      id: true,
      kind: true,
      state: true,
      startedAt: true,
      approvedAt: true,
      createdAt: true,
      finishedAt: true,
      requestedByName: true,
      release: { select: { version: true } },
      checkpoints: { where: { kind: "deploy" }, select: { approvals: { where: { decision: "approve" }, select: { personName: true } } } },
    },
  });
  return rows.map((r) => ({
    rolloutId: r.id,
    version: r.release.version,
    kind: r.kind === "rollback" ? "rollback" : "deploy",
    state: r.state,
    startedAt: (r.startedAt ?? r.approvedAt ?? r.createdAt).toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    requestedBy: r.requestedByName,
    approvedBy: r.checkpoints.flatMap((c) => c.approvals.map((a) => a.personName)),
  }));
}

type Feed = { subscribers: Set<(markers: DeployMarker[]) => void>; serviceId: Promise<string | null>; reading: boolean; again: boolean };

/**
 * Deploy markers pushed to open Metrics tabs within a moment of a rollout changing, on whichever replica it changed:
 * a Postgres notification per changed rollout (service and environment in it) wakes the one feed of that service
 * and environment, which reads the markers once for all its viewers. Nothing is read while nothing changes.
 */
export function createMarkerFeed(db: Db, options: { windowMs?: number; changes?: ChangeFeed | Promise<ChangeFeed> } = {}) {
  const feeds = new Map<string, Feed>();
  const windowMs = options.windowMs ?? 31 * 86_400_000;
  let listening: Promise<void> | undefined;

  const read = (service: string, environment: string) =>
    deployMarkers(db, service, environment, new Date(Date.now() - windowMs), new Date(Date.now() + 60_000));

  async function refresh(key: string): Promise<void> {
    const feed = feeds.get(key);
    if (!feed) return;
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    const [service, environment] = key.split("\u0000") as [string, string];
    try {
      do {
        feed.again = false;
        const markers = await read(service, environment);
        for (const send of feed.subscribers) send(markers);
      } while (feed.again && feeds.get(key) === feed);
    } catch {
      // The next change reads again; viewers keep what they have.
    } finally {
      feed.reading = false;
    }
  }

  /** One subscription to the change feed for all the process's marker feeds, made with the first viewer. */
  function listen(): Promise<void> {
    listening ??= Promise.resolve(options.changes ?? changeFeed()).then((changes) => {
      changes.subscribe(async (change) => {
        if (change.topic === "resync") {
          for (const key of feeds.keys()) void refresh(key);
          return;
        }
        if (change.topic !== "rollout" || !change.service) return;
        for (const [key, feed] of feeds) {
          if (!key.endsWith(`\u0000${change.environment}`)) continue;
          if ((await feed.serviceId) === change.service) void refresh(key);
        }
      });
    });
    return listening;
  }

  return {
    subscribe(service: string, environment: string, send: (markers: DeployMarker[]) => void): () => void {
      const key = `${service}\u0000${environment}`;
      let feed = feeds.get(key);
      if (!feed) {
        const serviceId = db.service.findUnique({ where: { kind_name: { kind: "component", name: service } }, select: { id: true } }).then(
          (s) => s?.id ?? null,
          () => null,
        );
        feed = { subscribers: new Set(), serviceId, reading: false, again: false };
        feeds.set(key, feed);
      }
      feed.subscribers.add(send);
      // A new subscriber gets the current markers once the feed listens (from the database, not another's last answer).
      void listen()
        .catch(() => undefined)
        .then(() => read(service, environment))
        .then(send, () => undefined);
      return () => {
        const current = feeds.get(key);
        if (!current) return;
        current.subscribers.delete(send);
        if (!current.subscribers.size) feeds.delete(key);
      };
    },
    /** Feeds open right now (one per service and environment with viewers). */
    active: () => feeds.size,
  };
}
export type MarkerFeed = ReturnType<typeof createMarkerFeed>;
