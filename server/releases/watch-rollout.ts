import "server-only";
import { changeFeed, type ChangeFeed } from "../shared/change-feed";
import type { Db } from "../shared/db";
import { logger } from "../shared/logger";
import type { RolloutBackend, TargetObservation } from "./rollout-backend";
import { loadRolloutView } from "./rollout-repository";
import type { RolloutView } from "./types";

export type LiveRollout = {
  rollout: RolloutView;
  observations: Array<{ cluster: string; namespace: string; name: string; observation: TargetObservation | null; error: string | null }>;
};

export async function snapshotRollout(db: Db, backend: RolloutBackend | undefined, id: string): Promise<LiveRollout | null> {
  const rollout = await loadRolloutView(db, id);
  if (!rollout) return null;
  const observations = await Promise.all(
    rollout.targets.map(async (t) => {
      const ref = { cluster: t.cluster, kind: t.workloadKind as "Deployment" | "Rollout", namespace: t.namespace, name: t.workloadName };
      if (!backend) return { ...ref, observation: null, error: "Slipway is not connected to this cluster." };
      try {
        return { ...ref, observation: await backend.observe(ref), error: null };
      } catch (error) {
        return { ...ref, observation: null, error: error instanceof Error ? error.message : "unreachable" };
      }
    }),
  );
  return { rollout, observations };
}

/**
 * Calls `send` with the rollout and its workloads now, then again within a moment of every watch event on them and
 * of every change to the rollout in the database, made by any replica (a Postgres notification; bursts coalesced),
 * until `signal` aborts.
 */
export function watchRollout(
  db: Db,
  backend: RolloutBackend | undefined,
  id: string,
  send: (live: LiveRollout) => void,
  signal: AbortSignal,
  changes: ChangeFeed | Promise<ChangeFeed> = changeFeed(),
): void {
  let pending: NodeJS.Timeout | undefined;
  let last = "";
  let unsubscribe: (() => void) | undefined;
  let subscribedTo = "";
  const push = async () => {
    const live = await snapshotRollout(db, backend, id).catch(() => null);
    if (!live || signal.aborted) return;
    const targets = live.rollout.targets.map((t) => `${t.cluster}/${t.namespace}/${t.workloadName}`).join(",");
    if (backend && targets !== subscribedTo) {
      unsubscribe?.();
      subscribedTo = targets;
      unsubscribe = backend.subscribe(
        live.rollout.targets.map((t) => ({
          cluster: t.cluster,
          kind: t.workloadKind as "Deployment" | "Rollout",
          namespace: t.namespace,
          name: t.workloadName,
        })),
        schedule,
      );
    }
    const text = JSON.stringify(live);
    if (text !== last) {
      last = text;
      send(live);
    }
  };
  function schedule() {
    if (pending || signal.aborted) return;
    pending = setTimeout(() => {
      pending = undefined;
      void push();
    }, 150);
  }
  let unsubscribeChanges: (() => void) | undefined;
  void Promise.resolve(changes).then(
    (feed) => {
      if (signal.aborted) return;
      unsubscribeChanges = feed.subscribe((change) => {
        if (change.topic === "resync" || (change.topic === "rollout" && change.id === id)) schedule();
      });
      // Subscribed after the first read: a change in between is read again.
      schedule();
    },
    (error: unknown) => logger().warn({ err: error, rolloutId: id }, "a rollout stream hears no database changes"),
  );
  void push();
  signal.addEventListener("abort", () => {
    clearTimeout(pending);
    unsubscribe?.();
    unsubscribeChanges?.();
  });
}
