"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon } from "@/components/ui/icons";
import { VersionChange } from "./commit-link";
import { finalStates } from "./format";
import { RolloutStateBadge } from "./rollout-badges";
import { liveProgress } from "./status-banner";
import { Elapsed } from "./time";
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
    <Link
      href={`/rollouts/${rollout.id}`}
      className={cn(
        "group block rounded-md border border-sky-200 bg-sky-50/70 px-3 py-2.5 transition-colors hover:border-sky-300 dark:border-sky-500/30 dark:bg-sky-500/[0.07] dark:hover:border-sky-500/50",
        focusRing,
      )}
    >
      <span className="flex flex-wrap items-center gap-2">
        <span className="text-[11px] font-semibold tracking-wide text-sky-800 uppercase dark:text-sky-300">{current.kind === "rollback" ? "Rollback" : "Rolling out"}</span>
        <RolloutStateBadge state={current.state} />
        <VersionChange from={current.previousRelease?.version} to={current.release.version} className="text-[12px]" />
        <ArrowRightIcon size={13} className="ml-auto text-sky-700 transition-transform group-hover:translate-x-0.5 dark:text-sky-300" />
      </span>
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
    </Link>
  );
}
