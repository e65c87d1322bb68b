"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { VersionChange } from "./commit-link";
import { finalStates } from "@/server/releases/contract";
import { RolloutStateBadge } from "./rollout-badges";
import { RolloutNotice } from "./rollout-notice";
import { liveProgress } from "./status-banner";
import { Elapsed } from "@/components/ui/time";
import type { RolloutView } from "./types";
import { useRolloutStream } from "./use-rollout-stream";

/**
 * The rollout in flight in one environment, streamed: its state and how many new pods are ready. When it ends the
 * page is refreshed, so "what runs here" changes without anyone pressing a button.
 */
export function InFlightStatus({ rollout }: { rollout: RolloutView }) {
  const router = useRouter();
  const { live } = useRolloutStream(rollout.id);
  const current = live?.rollout ?? rollout;
  const progress = liveProgress(live);
  const ended = useRef(false);
  useEffect(() => {
    if (!ended.current && finalStates.includes(current.state)) {
      ended.current = true;
      router.refresh();
    }
  }, [current.state, router]);
  const total = progress?.desired ?? 0;
  const percent = total ? Math.round((progress!.ready / total) * 100) : null;
  return (
    <RolloutNotice
      rolloutId={rollout.id}
      tone="sky"
      label={current.kind === "rollback" ? "Rollback" : "Rolling out"}
      headline={
        <>
          <RolloutStateBadge state={current.state} />
          <VersionChange from={current.previousRelease?.version} to={current.release.version} className="text-[12px]" />
        </>
      }
    >
      <span aria-live="polite" className="mt-1.5 block text-[12px] text-zinc-700 dark:text-zinc-300">
        {progress ? (
          <span className="tabular-nums">
            {progress.ready} of {progress.desired} new pods ready
          </span>
        ) : current.state === "approved" ? (
          "Approved, waiting to be applied"
        ) : (
          "Waiting for the cluster…"
        )}
        {current.startedAt ? (
          <span className="text-zinc-500 dark:text-zinc-400">
            {" "}
            · <Elapsed since={current.startedAt} />
          </span>
        ) : null}
      </span>
      {percent !== null ? (
        <span aria-hidden className="mt-2 block h-1 overflow-hidden rounded-full bg-sky-100 dark:bg-sky-500/15">
          <span className="block h-full rounded-full bg-sky-500 transition-[width] duration-700" style={{ width: `${percent}%` }} />
        </span>
      ) : null}
    </RolloutNotice>
  );
}
