import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { CanaryProgress } from "./canary-progress";
import { CloudOffIcon } from "@/components/ui/icons";
import { PodList, WarningEvents } from "./pod-list";
import { replicaSetRows, RollingUpdateDiagram } from "./rolling-update-diagram";
import type { RolloutTargetView, TargetLive, WorkloadView } from "./types";

const workloadTone: Record<WorkloadView["status"]["state"], BadgeTone> = {
  complete: "green",
  progressing: "sky",
  paused: "amber",
  failed: "red",
  waiting: "neutral",
};

const workloadWord: Record<WorkloadView["status"]["state"], string> = {
  complete: "Complete",
  progressing: "Progressing",
  paused: "Paused",
  failed: "Failed",
  waiting: "Waiting",
};

/** One workload the rollout changes, in one cluster: the diagram, kubectl's words, the pods and what went wrong. */
export function TargetLiveCard({ target, record, children }: { target: TargetLive; record?: RolloutTargetView; children?: React.ReactNode }) {
  const observation = target.observation;
  const kind = observation?.workload.kind ?? record?.workloadKind ?? "Deployment";
  return (
    <article
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60"
      aria-label={`${target.cluster}: ${target.namespace}/${target.name}`}
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-zinc-200 bg-zinc-50/70 px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="rounded bg-zinc-800 px-1.5 py-px font-mono text-[11px] text-white dark:bg-zinc-700">{target.cluster}</span>
        <span className="min-w-0 truncate font-mono text-[13px] text-zinc-800 dark:text-zinc-200">
          <span className="text-zinc-500 dark:text-zinc-400">{target.namespace}/</span>
          {target.name}
        </span>
        <span className="text-[11px] text-zinc-500 dark:text-zinc-400">{kind === "Rollout" ? "Argo Rollout" : kind}</span>
        {record?.revisionBefore != null || record?.revisionAfter != null ? (
          <span className="text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400">
            rev {record?.revisionBefore ?? "?"} → {record?.revisionAfter ?? observation?.workload.revision ?? "?"}
          </span>
        ) : null}
        <span className="ml-auto flex items-center gap-1.5">
          {observation?.workload.paused && observation.workload.status.state !== "paused" ? <Badge tone="amber">Paused</Badge> : null}
          {observation ? <Badge tone={workloadTone[observation.workload.status.state]}>{workloadWord[observation.workload.status.state]}</Badge> : null}
        </span>
      </header>

      {!observation ? (
        <div className="flex items-start gap-3 px-4 py-4">
          <CloudOffIcon size={18} className="mt-0.5 shrink-0 text-zinc-400 dark:text-zinc-500" />
          <div className="text-[13px]">
            <p className="font-medium text-zinc-800 dark:text-zinc-200">Cannot see this workload right now</p>
            <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">
              {target.error ?? `${kind} ${target.namespace}/${target.name} was not found in ${target.cluster}.`}
            </p>
            {record?.message ? <p className="mt-1 text-zinc-500 dark:text-zinc-400">Last recorded: {record.message}</p> : null}
          </div>
        </div>
      ) : (
        <ObservedTarget observation={observation}>{children}</ObservedTarget>
      )}
    </article>
  );
}

function ObservedTarget({ observation, children }: { observation: NonNullable<TargetLive["observation"]>; children?: React.ReactNode }) {
  const { workload, replicaSets, pods, events } = observation;
  const rows = replicaSetRows(workload, replicaSets, pods);
  const newHash = rows.find((r) => r.role === "new")?.replicaSet.podTemplateHash ?? null;
  const warnings = events.filter((e) => e.type === "Warning");
  const r = workload.replicas;
  const stats: Array<[string, number, string]> = [
    ["Desired", r.desired, "Pods the workload asks for"],
    ["Updated", r.updated, "Pods running the new template"],
    ["Ready", r.ready, "Pods passing their readiness probe"],
    ["Available", r.available, "Ready for at least minReadySeconds"],
  ];
  const state = workload.status.state;
  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
      <div className="px-4 py-3">
        <p
          className={cn(
            "rounded-md px-2.5 py-1.5 font-mono text-[12px] leading-relaxed break-words",
            state === "failed"
              ? "bg-red-50 text-red-800 dark:bg-red-500/10 dark:text-red-200"
              : state === "complete"
                ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-500/10 dark:text-emerald-200"
                : "bg-zinc-100 text-zinc-700 dark:bg-zinc-800/70 dark:text-zinc-300",
          )}
        >
          <span className="mr-2 text-zinc-400 select-none dark:text-zinc-500" aria-hidden>
            $
          </span>
          <span className="sr-only">kubectl rollout status: </span>
          {workload.status.message}
        </p>
        <dl className="mt-3 grid grid-cols-4 gap-2">
          {stats.map(([label, value, hint]) => (
            <div key={label} className="rounded-md bg-zinc-50 px-2 py-1.5 dark:bg-zinc-800/40" title={hint}>
              <dt className="text-[10px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
              <dd className="font-mono text-[15px] font-semibold text-zinc-900 tabular-nums dark:text-zinc-100">
                {value}
                {label !== "Desired" ? <span className="text-[11px] font-normal text-zinc-400 dark:text-zinc-500">/{r.desired}</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>

      {workload.canary ? (
        <div className="px-4 py-3">
          <h4 className="mb-2 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Canary</h4>
          <CanaryProgress canary={workload.canary} />
          {children}
        </div>
      ) : children ? (
        <div className="px-4 py-3">{children}</div>
      ) : null}

      <div className="px-4 py-3">
        <h4 className="mb-2.5 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">ReplicaSets</h4>
        <RollingUpdateDiagram workload={workload} rows={rows} />
      </div>

      <div className="py-2">
        <h4 className="mb-1 px-4 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          Pods <span className="font-normal tabular-nums">({pods.length})</span>
        </h4>
        <PodList pods={pods} newHash={newHash} workloadName={workload.name} />
      </div>

      {warnings.length ? (
        <div className="bg-red-50/40 px-4 py-3 dark:bg-red-500/[0.04]">
          <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-red-700 uppercase dark:text-red-300">
            Warning events <span className="font-normal tabular-nums">({warnings.length})</span>
          </h4>
          <WarningEvents events={warnings} />
        </div>
      ) : null}
    </div>
  );
}
