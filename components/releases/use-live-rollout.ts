"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { untouchedStates } from "./format";
import type { RolloutView } from "./types";
import { useRolloutStream } from "./use-rollout-stream";

/**
 * The rollout as the page shows it: the server's render, replaced by the stream's snapshots as they arrive (the
 * stream is newer than the page, except right after a refresh brought a newer page). A new state or a newly opened
 * checkpoint changes what this person may do, so the page asks the server again, once per change.
 */
export function useLiveRollout(initial: RolloutView, openCheckpointOnPage: string | null) {
  const router = useRouter();
  const streaming = !untouchedStates.includes(initial.state);
  const { live, status } = useRolloutStream(initial.id, streaming);
  const rollout = live && live.rollout.id === initial.id && !isOlder(live.rollout, initial) ? live.rollout : initial;
  const open = rollout.checkpoints.find((c) => c.state === "awaiting_approval") ?? null;

  const refreshedFor = useRef(`${initial.state}|${openCheckpointOnPage ?? ""}`);
  useEffect(() => {
    const key = `${rollout.state}|${open?.id ?? ""}`;
    const pageKey = `${initial.state}|${openCheckpointOnPage ?? ""}`;
    if (key === pageKey || key === refreshedFor.current) return;
    refreshedFor.current = key;
    router.refresh();
  }, [rollout.state, open?.id, initial.state, openCheckpointOnPage, router]);

  return { rollout, open, live, status, streaming };
}

function isOlder(a: RolloutView, b: RolloutView): boolean {
  const stamp = (r: RolloutView) =>
    [r.finishedAt, r.startedAt, r.approvedAt].filter(Boolean).length + r.checkpoints.reduce((n, c) => n + c.approvals.length, 0);
  return stamp(a) < stamp(b);
}
