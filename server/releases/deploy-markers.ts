import "server-only";
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

type Feed = { subscribers: Set<(markers: DeployMarker[]) => void>; timer: NodeJS.Timeout; seen: string };

/**
 * Deploy markers pushed to open Metrics tabs within about two seconds of a rollout changing state: one shared poll of
 * the newest change per service and environment (an indexed read), however many people watch; the markers themselves
 * are read again only when something changed.
 */
export function createMarkerFeed(db: Db, options: { intervalMs?: number; windowMs?: number } = {}) {
  const feeds = new Map<string, Feed>();
  const intervalMs = options.intervalMs ?? 1_500;
  const windowMs = options.windowMs ?? 31 * 86_400_000;

  async function poll(key: string, service: string, environment: string): Promise<void> {
    const feed = feeds.get(key);
    if (!feed) return;
    const newest = await db.rollout.findFirst({
      where: { service: { kind: "component", name: service }, environment },
      orderBy: { updatedAt: "desc" },
      select: { id: true, updatedAt: true },
    });
    const mark = newest ? `${newest.id}@${newest.updatedAt.toISOString()}` : "";
    if (mark === feed.seen) return;
    feed.seen = mark;
    const markers = await deployMarkers(db, service, environment, new Date(Date.now() - windowMs), new Date(Date.now() + 60_000));
    for (const send of feed.subscribers) send(markers);
  }

  return {
    subscribe(service: string, environment: string, send: (markers: DeployMarker[]) => void): () => void {
      const key = `${service}\u0000${environment}`;
      let feed = feeds.get(key);
      if (!feed) {
        const timer = setInterval(() => void poll(key, service, environment).catch(() => undefined), intervalMs);
        timer.unref();
        feed = { subscribers: new Set(), timer, seen: "" };
        feeds.set(key, feed);
      }
      feed.subscribers.add(send);
      // A new subscriber gets the current markers at once (from the database, not from another's last answer).
      void deployMarkers(db, service, environment, new Date(Date.now() - windowMs), new Date(Date.now() + 60_000)).then(send, () => undefined);
      return () => {
        const current = feeds.get(key);
        if (!current) return;
        current.subscribers.delete(send);
        if (!current.subscribers.size) {
          clearInterval(current.timer);
          feeds.delete(key);
        }
      };
    },
    /** Feeds polling right now (one per service and environment with viewers). */
    active: () => feeds.size,
  };
}
export type MarkerFeed = ReturnType<typeof createMarkerFeed>;
