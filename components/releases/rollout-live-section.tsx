"use client";

import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { CloudOffIcon } from "@/components/ui/icons";
import { untouchedStates } from "./format";
import { TargetLiveCard } from "./target-live-card";
import type { StreamStatus } from "@/components/api/use-event-stream";
import type { CheckpointView, LiveRollout, RolloutView } from "./types";

/** The rollout page's live part: each target's workload as the stream reports it, and how the stream is doing. */

const streamWords: Record<StreamStatus, { label: string; dot: string }> = {
  idle: { label: "Not streaming", dot: "bg-zinc-400" },
  connecting: { label: "Connecting…", dot: "bg-zinc-400 animate-pulse" },
  live: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  stopped: { label: "Live updates stopped — reload the page", dot: "bg-red-500" },
};

export function LiveSection({
  rollout,
  live,
  status,
  streaming,
  connected,
  promote,
  promoteForm,
}: {
  rollout: RolloutView;
  live: LiveRollout | null;
  status: StreamStatus;
  streaming: boolean;
  connected: boolean;
  promote: CheckpointView | null;
  promoteForm: (c: CheckpointView) => ReactNode;
}) {
  const observations = live?.observations ?? [];
  const records = new Map(rollout.targets.map((t) => [`${t.cluster}/${t.namespace}/${t.workloadName}`, t]));

  let body: ReactNode;
  // Targets are fixed at request, so a waiting rollout has workloads to watch: they still run what ran before.
  if (rollout.state === "requested" || rollout.state === "awaiting_approval") {
    body = (
      <LiveEmpty
        title="Nothing has changed in any cluster yet"
        text="The rollout starts once the checkpoint is approved; its progress will appear here, live."
      />
    );
  } else if (untouchedStates.includes(rollout.state)) {
    body = <LiveEmpty compact title="This rollout never reached a cluster" text="It ended before Slipway applied anything." />;
  } else if (observations.length) {
    body = (
      <div className="space-y-4">
        {observations.map((t) => {
          const record = records.get(`${t.cluster}/${t.namespace}/${t.name}`);
          const canary = t.observation?.workload.canary ?? null;
          const waitingHere = promote && canary && canary.pauseReasons.includes("CanaryPauseStep");
          return (
            <TargetLiveCard key={`${t.cluster}/${t.namespace}/${t.name}`} target={t} record={record}>
              {waitingHere ? (
                <div
                  id="decide-promotion"
                  className="mt-3 scroll-mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 dark:border-amber-500/30 dark:bg-amber-500/[0.07]"
                >
                  <p className="mb-2 text-[13px] font-semibold text-amber-900 dark:text-amber-200">Waiting for promotion to the next step</p>
                  {promoteForm(promote)}
                </div>
              ) : null}
            </TargetLiveCard>
          );
        })}
      </div>
    );
  } else if (!connected) {
    body = (
      <LiveEmpty
        icon
        title="Not connected to a cluster"
        text="This Slipway has no cluster backend yet, so there is no workload to watch. Progress will stream here once a cluster is connected."
      />
    );
  } else if (!rollout.targets.length) {
    body =
      rollout.state === "approved" || rollout.state === "applying" ? (
        <LiveEmpty title="Finding the workloads…" text="Slipway is resolving which Deployments or Rollouts run this service in each cluster." />
      ) : (
        <LiveEmpty title="No workloads recorded" text="Slipway recorded no workload for this rollout." />
      );
  } else {
    body = <LiveEmpty title="Waiting for the cluster…" text="The first snapshot of the workloads is on its way." />;
  }

  return (
    <section aria-labelledby="live-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="live-title" className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
          Live rollout
          {rollout.targets.length ? (
            <span className="ml-2 font-normal text-zinc-500 dark:text-zinc-400">
              {rollout.targets.length} workload{rollout.targets.length === 1 ? "" : "s"}
            </span>
          ) : null}
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          {streaming ? (
            <span className="inline-flex items-center gap-1.5 text-[12px] text-zinc-500 dark:text-zinc-400">
              <span aria-hidden className={cn("size-2 rounded-full", streamWords[status].dot)} />
              {streamWords[status].label}
            </span>
          ) : null}
        </div>
      </div>
      {body}
    </section>
  );
}

function LiveEmpty({ title, text, icon = false, compact = false }: { title: string; text: string; icon?: boolean; compact?: boolean }) {
  return (
    <div
      className={cn(
        "flex flex-col items-center rounded-lg border border-dashed border-zinc-300 px-6 text-center dark:border-zinc-700",
        compact ? "py-5" : "py-10",
      )}
    >
      {compact ? null : icon ? (
        <div className="mb-3 flex size-10 items-center justify-center rounded-lg border border-zinc-200 bg-white text-zinc-400 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-500">
          <CloudOffIcon size={18} />
        </div>
      ) : (
        <FakeDiagram />
      )}
      <p className="text-sm font-semibold text-zinc-800 dark:text-zinc-200">{title}</p>
      <p className="mt-1 max-w-md text-[13px] text-zinc-500 dark:text-zinc-400">{text}</p>
    </div>
  );
}

/** A greyed-out rolling update, so the empty live view shows what will appear there. */
function FakeDiagram() {
  return (
    // No opacity on the whole: its labels are text people still see, and must keep their contrast (axe: 4.5:1).
    <div aria-hidden className="mb-4 space-y-1.5">
      {[
        [0, 3],
        [3, 0],
      ].map(([filled, outlined], row) => (
        <div key={row} className="flex items-center gap-2">
          <span className="w-8 text-right text-[10px] font-semibold text-zinc-600 uppercase dark:text-zinc-400">{row === 0 ? "new" : "old"}</span>
          <div className="flex gap-1">
            {Array.from({ length: filled! }, (_, i) => (
              <span key={`f${i}`} className="size-4 rounded-[3px] bg-zinc-200 dark:bg-zinc-800" />
            ))}
            {Array.from({ length: outlined! }, (_, i) => (
              <span key={`o${i}`} className="size-4 rounded-[3px] outline-1 -outline-offset-1 outline-dashed outline-zinc-300 dark:outline-zinc-700" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
