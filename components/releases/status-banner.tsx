import { durationBetween, formatDuration } from "@/components/ui/time-format";
import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { AlertIcon, CheckCircleIcon, ClockIcon, CloudOffIcon, RocketIcon, ShieldCheckIcon, UndoIcon, XCircleIcon } from "@/components/ui/icons";
import { ApprovalProgress } from "./checkpoint-evidence";
import { environmentTitle } from "./format";
import { MoreActions } from "./more-actions";
import { failingPod, PreviousContainerLogs } from "./previous-container-logs";
import { WarningEvents } from "./pod-list";
import { replicaSetRows } from "./rolling-update-diagram";
import { Elapsed, ExpiryCountdown, Time } from "@/components/ui/time";
import type { LiveRollout, RolloutView } from "./types";

type Tone = "amber" | "indigo" | "sky" | "green" | "red" | "neutral" | "violet";

const toneClass: Record<Tone, { box: string; icon: string }> = {
  amber: { box: "border-amber-200 bg-amber-50 dark:border-amber-500/30 dark:bg-amber-500/[0.08]", icon: "text-amber-600 dark:text-amber-400" },
  indigo: { box: "border-indigo-200 bg-indigo-50 dark:border-indigo-500/30 dark:bg-indigo-500/[0.08]", icon: "text-indigo-600 dark:text-indigo-400" },
  sky: { box: "border-sky-200 bg-sky-50 dark:border-sky-500/30 dark:bg-sky-500/[0.08]", icon: "text-sky-600 dark:text-sky-400" },
  green: { box: "border-emerald-200 bg-emerald-50 dark:border-emerald-500/30 dark:bg-emerald-500/[0.08]", icon: "text-emerald-600 dark:text-emerald-400" },
  red: { box: "border-red-200 bg-red-50 dark:border-red-500/30 dark:bg-red-500/[0.08]", icon: "text-red-600 dark:text-red-400" },
  neutral: { box: "border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900", icon: "text-zinc-500 dark:text-zinc-400" },
  violet: { box: "border-violet-200 bg-violet-50 dark:border-violet-500/30 dark:bg-violet-500/[0.08]", icon: "text-violet-600 dark:text-violet-400" },
};

/** "3 of 5 new pods ready" across every target the stream reports. */
export function liveProgress(live: LiveRollout | null): { ready: number; desired: number; targets: number } | null {
  if (!live) return null;
  let ready = 0;
  let desired = 0;
  let targets = 0;
  for (const t of live.observations) {
    if (!t.observation) continue;
    targets++;
    const row = replicaSetRows(t.observation.workload, t.observation.replicaSets, t.observation.pods).find((r) => r.role === "new");
    desired += t.observation.workload.replicas.desired;
    ready += row ? Math.min(row.replicaSet.replicas.ready, t.observation.workload.replicas.desired) : t.observation.workload.replicas.updated;
  }
  return targets ? { ready, desired, targets } : null;
}

/** "Tom Hughes", "Tom Hughes or Daniel Mensah", "A, B or C". */
export function oneOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/**
 * Where the rollout stands, in one sentence, and for a final state how it ended, with the one thing this viewer
 * should do now (`primary`) and everything else tucked behind "More actions". It is a live region: a change of
 * state or of progress is read out without moving focus.
 */
export function StatusBanner({
  rollout,
  live,
  connected,
  deploysHref,
  primary = null,
  secondary = [],
  rolledBackBy = null,
  approvers = null,
  yourDecision = false,
}: {
  rollout: RolloutView;
  live: LiveRollout | null;
  connected: boolean;
  deploysHref: string;
  primary?: ReactNode;
  secondary?: ReactNode[];
  rolledBackBy?: { id: string; version: string; by: string } | null;
  /** Who may still approve the open checkpoint (null: not known). */
  approvers?: string[] | null;
  /** Whether the open checkpoint waits for this viewer's decision. */
  yourDecision?: boolean;
}) {
  const env = environmentTitle(rollout.environment);
  const deploy = rollout.checkpoints.find((c) => c.kind === "deploy");
  const progress = liveProgress(live);
  let tone: Tone = "neutral";
  let icon: ReactNode = <ClockIcon size={18} />;
  let title: ReactNode;
  let body: ReactNode = null;
  let extra: ReactNode = null;
  const took = durationBetween(rollout.startedAt ?? rollout.approvedAt, rollout.finishedAt);

  switch (rollout.state) {
    case "requested":
      title = "Requested";
      body = "Slipway is opening the checkpoint for this rollout.";
      break;
    case "awaiting_approval":
      tone = "amber";
      icon = <ShieldCheckIcon size={18} />;
      title = yourDecision ? `Waiting for your approval to deploy to ${env}` : `Waiting for approval to deploy to ${env}`;
      body = (
        <>
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {deploy ? <ApprovalProgress checkpoint={deploy} /> : null}
            {rollout.expiresAt ? <ExpiryCountdown expiresAt={rollout.expiresAt} className="text-[12px]" /> : null}
            <span>Nothing changes in any cluster until then.</span>
          </span>
          {approvers && !yourDecision ? <WhoCanApprove approvers={approvers} /> : null}
        </>
      );
      break;
    case "approved":
      tone = "indigo";
      icon = connected ? <RocketIcon size={18} /> : <CloudOffIcon size={18} />;
      title = connected ? "Approved: starting the rollout" : "Approved, waiting for a cluster";
      body = connected
        ? "Slipway is about to set the new image on every workload of the service."
        : "Slipway is not connected to a cluster yet, so it cannot apply this rollout. It starts as soon as one is connected; nothing else is needed from you.";
      break;
    case "applying":
      tone = "sky";
      icon = <RocketIcon size={18} />;
      title = "Applying";
      body = `Setting image ${rollout.release.version} on ${rollout.targets.length || "the"} workload${rollout.targets.length === 1 ? "" : "s"}.`;
      break;
    case "progressing": {
      tone = "sky";
      icon = <RocketIcon size={18} />;
      const promote = rollout.checkpoints.find((c) => c.kind === "promote" && c.state === "awaiting_approval");
      title = promote ? "Canary paused: waiting for promotion" : `Rolling out ${rollout.release.version} to ${env}`;
      body = (
        <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
          {promote && yourDecision ? <span className="font-medium">Your decision: promote it to the next step, or reject it.</span> : null}
          {progress ? (
            <span className="font-medium tabular-nums">
              {progress.ready} of {progress.desired} new pods ready
              {progress.targets > 1 ? ` across ${progress.targets} clusters` : ""}
            </span>
          ) : null}
          {rollout.startedAt ? (
            <span>
              running for <Elapsed since={rollout.startedAt} className="tabular-nums" />
            </span>
          ) : null}
        </span>
      );
      break;
    }
    case "succeeded":
      tone = "green";
      icon = <CheckCircleIcon size={18} />;
      title = rollout.kind === "rollback" ? `Rolled back: ${rollout.release.version} runs in ${env} again` : `${rollout.release.version} is live in ${env}`;
      body = rollout.finishedAt ? (
        <span>
          Finished <Time iso={rollout.finishedAt} />
          {took !== null ? <> · took {formatDuration(took)}</> : null}
        </span>
      ) : null;
      break;
    case "failed":
      tone = "red";
      icon = <XCircleIcon size={18} />;
      title = `Rollout of ${rollout.release.version} to ${env} failed`;
      body = <span className="font-medium text-red-800 dark:text-red-200">{rollout.failureReason ?? "The cluster reported a failure."}</span>;
      extra = rollout.failureEvents.length ? (
        <>
          <div className="mt-3 rounded-md border border-red-200 bg-white/70 px-3 py-1 dark:border-red-500/20 dark:bg-zinc-950/40">
            <WarningEvents events={rollout.failureEvents} limit={5} />
          </div>
          {failingPod(rollout.failureEvents) ? (
            <PreviousContainerLogs service={rollout.service} environment={rollout.environment} pod={failingPod(rollout.failureEvents)!} />
          ) : null}
        </>
      ) : null;
      break;
    case "rejected": {
      tone = "red";
      icon = <XCircleIcon size={18} />;
      const rejection = rollout.checkpoints.flatMap((c) => c.approvals).find((a) => a.decision === "reject");
      title = rejection ? `Rejected by ${rejection.person}` : "Rejected";
      body = rejection ? <span className="italic">“{rejection.comment}”</span> : "A person rejected this checkpoint.";
      break;
    }
    case "cancelled":
      icon = <XCircleIcon size={18} />;
      title = "Cancelled";
      body = "The request was withdrawn before anything changed in a cluster.";
      break;
    case "expired":
      icon = <ClockIcon size={18} />;
      title = "Expired";
      body = (
        <span>
          The checkpoint did not get enough approvals
          {deploy ? ` (${deploy.approvals.filter((a) => a.decision === "approve").length} of ${deploy.approvalsRequired})` : ""} in time. Request it again from
          the{" "}
          <Link href={deploysHref} className={cn("rounded font-medium underline", focusRing)}>
            Deploys tab
          </Link>
          .
        </span>
      );
      break;
    case "superseded":
      icon = <AlertIcon size={18} />;
      title = "Superseded";
      body = `A rollback or a newer rollout took over ${env} before this one finished.`;
      break;
    case "rolled_back":
      tone = "violet";
      icon = <UndoIcon size={18} />;
      title = `${rollout.release.version} was rolled back`;
      extra = rollout.failureReason ? (
        <div className="mt-3 rounded-md border border-red-200 bg-white/70 px-3 py-2 dark:border-red-500/20 dark:bg-zinc-950/40">
          <p className="text-[13px] font-medium text-red-800 dark:text-red-200">It had failed: {rollout.failureReason}</p>
          {rollout.failureEvents.length ? <WarningEvents events={rollout.failureEvents} limit={5} /> : null}
        </div>
      ) : null;
      body = rolledBackBy ? (
        <span>
          {rolledBackBy.by} rolled it back to <span className="font-mono">{rolledBackBy.version}</span>
          {rollout.finishedAt ? (
            <>
              {" "}
              <Time iso={rollout.finishedAt} />
            </>
          ) : null}
          .{" "}
          <Link href={`/rollouts/${rolledBackBy.id}`} className={cn("rounded font-medium underline", focusRing)}>
            Open the rollback
          </Link>
        </span>
      ) : (
        <span>
          Slipway deployed another release in its place; the rollback is in the{" "}
          <Link href={deploysHref} className={cn("rounded font-medium underline", focusRing)}>
            deploy history
          </Link>
          .
        </span>
      );
      break;
  }

  return (
    <section aria-label="Rollout status" className={cn("rounded-lg border px-4 py-3", toneClass[tone].box)}>
      <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <span className={cn("mt-0.5 shrink-0", toneClass[tone].icon)} aria-hidden>
          {icon}
        </span>
        <div role="status" aria-live="polite" aria-atomic="true" className="min-w-0 flex-1 basis-64">
          <p className="text-[14px] font-semibold text-zinc-900 dark:text-zinc-50">{title}</p>
          {body ? <div className="mt-0.5 text-[13px] text-zinc-700 dark:text-zinc-300">{body}</div> : null}
        </div>
        {primary || secondary.length ? (
          <div className="flex shrink-0 flex-wrap items-start justify-end gap-2 max-sm:basis-full max-sm:justify-start">
            {primary}
            {secondary.length ? <MoreActions count={secondary.length}>{secondary}</MoreActions> : null}
          </div>
        ) : null}
      </div>
      {extra}
    </section>
  );
}

/** The requester's question "who do I ask?", answered with names. */
function WhoCanApprove({ approvers }: { approvers: string[] }) {
  return (
    <p className="mt-1">
      {approvers.length ? (
        <>
          Can approve: <span className="font-medium text-zinc-900 dark:text-zinc-100">{oneOf(approvers)}</span>
        </>
      ) : (
        "Nobody else can approve this yet: ask an admin to give someone the approver role for this squad."
      )}
    </p>
  );
}
