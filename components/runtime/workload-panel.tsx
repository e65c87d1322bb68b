import type { WorkloadRuntime } from "@/server/cluster/contract";
import { Badge } from "@/components/ui/badge";
import { ArrowRightIcon } from "@/components/ui/icons";
import { CanarySteps } from "./canary-steps";
import { EventsList } from "./events-list";
import { PodsTable } from "./pods-table";
import { ReplicaCounters } from "./replica-counters";
import { ReplicaSetList } from "./replica-set-list";
import { RolloutStatusLine } from "./rollout-status-line";
import { VersionChip } from "./version-chip";

/** One Deployment or Rollout: version, replicas, rollout status, ReplicaSets, pods and events. */
export function WorkloadPanel({ runtime, now }: { runtime: WorkloadRuntime; now: number }) {
  const { workload, runningVersion, targetVersion } = runtime;
  const crashing = runtime.pods.filter((p) => p.waitingReason === "CrashLoopBackOff").length;
  return (
    <article className="space-y-3 px-4 py-3" aria-label={`${workload.kind} ${workload.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={workload.kind === "Rollout" ? "violet" : "neutral"}>{workload.kind}</Badge>
            <span className="font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">{workload.name}</span>
            {workload.revision !== null ? <span className="font-mono text-[11px] text-zinc-500">rev {workload.revision}</span> : null}
            {workload.paused ? <Badge tone="amber">paused</Badge> : null}
            {crashing ? <Badge tone="red">{crashing} crash-looping</Badge> : null}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {runningVersion ? <VersionChip version={runningVersion} label="Running" /> : <span className="text-[12px] text-zinc-500">no version running</span>}
            {targetVersion ? (
              <>
                <ArrowRightIcon size={14} className="text-zinc-400" />
                <VersionChip version={targetVersion} tone="target" label="Rolling out" />
              </>
            ) : null}
          </div>
        </div>
        <ReplicaCounters replicas={workload.replicas} />
      </div>
      <RolloutStatusLine status={workload.status} />
      {workload.canary ? <CanarySteps canary={workload.canary} /> : null}
      <ReplicaSetList replicaSets={runtime.replicaSets} container={runningVersion?.container ?? null} />
      <div>
        <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Pods</h4>
        <PodsTable pods={runtime.pods} now={now} />
      </div>
      <div>
        <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Recent events</h4>
        <EventsList events={runtime.events} now={now} />
      </div>
    </article>
  );
}
