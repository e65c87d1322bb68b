import Link from "next/link";
import { Fragment } from "react";
import { AlertIcon, CloudOffIcon, SnowflakeIcon } from "@/components/ui/icons";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ApprovalProgress } from "./checkpoint-evidence";
import type { EnvironmentDrift } from "./drift";
import { CommitLink, VersionChange } from "./commit-link";
import { approversOf } from "./format";
import { InFlightStatus } from "./in-flight-status";
import { RolloutNotice } from "./rollout-notice";
import { RequestRolloutButton } from "./request-rollout-button";
import { RollbackButton } from "./rollback-dialog";
import { ExpiryCountdown, Time } from "@/components/ui/time";
import type { EnvironmentStatus, FreezeView, ReleaseView, RolloutView, WorkloadAction } from "./types";
import { WorkloadActions } from "./workload-actions";

export type EnvironmentCardProps = {
  service: string;
  status: EnvironmentStatus;
  approvalsRequired: number | null;
  releases: ReleaseView[];
  /** The rollout that put the running release there: what "Roll back to previous" undoes. */
  current: RolloutView | null;
  freeze: FreezeView | null;
  can: { request: boolean; operate: boolean };
  connected: boolean;
  /** What the cluster says about the workload, when Slipway can see it. */
  workload: { kind: "Deployment" | "Rollout" | null; paused: boolean | null };
  /** The newest rollout here, when it failed (what runs is still the release before it). */
  failed?: RolloutView | null;
  /** The releases that ran well here, newest first: all a rollback may return to. */
  ranWell?: ReleaseView[];
  /** Where the live clusters run something else than the history says. */
  drift?: EnvironmentDrift | null;
};

/** One environment of a service: what runs there, what waits, what moves, and what this person may do about it. */
export function EnvironmentCard({
  service,
  status,
  approvalsRequired,
  releases,
  current,
  freeze,
  can,
  connected,
  workload,
  failed = null,
  ranWell = [],
  drift = null,
}: EnvironmentCardProps) {
  const running = status.running;
  const pending = status.pending;
  const pendingCheckpoint = pending?.checkpoints.find((c) => c.state === "awaiting_approval") ?? null;
  const operate: WorkloadAction[] = [];
  if (can.operate && connected && running) {
    operate.push("restart");
    if (workload.paused !== true) operate.push("pause");
    if (workload.paused !== false) operate.push("resume");
    if (workload.kind === "Rollout") operate.push("abort", "retry", "promote-full");
  }
  const headingId = `env-${status.environment}`;
  // After a failure the failed rollout is what to undo (back to the last good release), as on its own page.
  const rollbackFrom = failed ?? current;
  return (
    <section
      aria-labelledby={headingId}
      className={cn(
        "flex min-w-0 flex-col rounded-lg border bg-white dark:bg-zinc-900/60",
        status.production ? "border-zinc-300 dark:border-zinc-700" : "border-zinc-200 dark:border-zinc-800",
      )}
    >
      <header className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <h2 id={headingId} className="text-[14px] font-semibold text-zinc-900 dark:text-zinc-50">
          {status.title}
        </h2>
        {status.production ? <Badge tone="red">Production</Badge> : null}
        <Badge
          tone={status.policy === "checkpoint" ? "amber" : "sky"}
          title={status.policy === "checkpoint" ? "A person other than the requester must approve" : "Deploys as soon as CI registers a release"}
        >
          {status.policy === "checkpoint" ? `Checkpoint · ${approvalsRequired ?? 1} approval${approvalsRequired === 1 ? "" : "s"}` : "Auto-deploy"}
        </Badge>
        {freeze ? (
          <Badge tone="sky" className="ml-auto" title={freeze.reason}>
            <SnowflakeIcon size={11} />
            Frozen
          </Badge>
        ) : null}
      </header>

      <div className="flex-1 space-y-3 px-4 py-3.5">
        <div>
          <p className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Runs now</p>
          {running ? (
            <>
              <div className="mt-1 flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <span className="font-mono text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{running.version}</span>
                <CommitLink release={running} />
                {status.since ? (
                  <span className="text-[12px] text-zinc-600 dark:text-zinc-400">
                    since <Time iso={status.since} />
                  </span>
                ) : null}
              </div>
              <p className="mt-0.5 truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-500" title={running.image}>
                {running.image}
                {running.author ? <span className="font-sans"> · {running.author}</span> : null}
              </p>
              {current ? (
                <Link
                  href={`/rollouts/${current.id}`}
                  className={cn("mt-1 inline-flex rounded text-[12px] text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
                >
                  deployed by {current.requestedBy}
                  {current.checkpoints.some((c) => c.kind === "deploy") ? `, approved by ${approversOf(current).join(", ") || "—"}` : ""}
                </Link>
              ) : null}
            </>
          ) : (
            <p className="mt-1 text-[13px] text-zinc-500 dark:text-zinc-400">Nothing deployed here through Slipway yet.</p>
          )}
        </div>

        {drift ? <DriftNotice drift={drift} environment={status.title} /> : null}

        {pending ? (
          <RolloutNotice
            rolloutId={pending.id}
            tone="amber"
            label="Checkpoint waiting"
            headline={<VersionChange from={pending.previousRelease?.version} to={pending.release.version} className="text-[12px]" />}
          >
            <span className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-[12px] text-zinc-700 dark:text-zinc-300">
              {pendingCheckpoint ? <ApprovalProgress checkpoint={pendingCheckpoint} /> : null}
              <span>
                {pending.requestedBy} asked <Time iso={pending.createdAt} />
              </span>
              {pending.expiresAt ? <ExpiryCountdown expiresAt={pending.expiresAt} /> : null}
            </span>
          </RolloutNotice>
        ) : null}

        {status.inFlight ? <InFlightStatus rollout={status.inFlight} /> : null}

        {failed ? (
          <RolloutNotice
            rolloutId={failed.id}
            tone="red"
            label="Last rollout failed"
            headline={
              <>
                <VersionChange from={failed.previousRelease?.version} to={failed.release.version} className="text-[12px]" />
                {failed.finishedAt ? <Time iso={failed.finishedAt} className="text-[12px] text-zinc-600 dark:text-zinc-400" /> : null}
              </>
            }
          >
            {failed.failureReason ? (
              <span className="mt-1 line-clamp-2 block text-[12px] break-words text-red-800 dark:text-red-200">{failed.failureReason}</span>
            ) : null}
          </RolloutNotice>
        ) : null}

        {freeze ? (
          <p className="rounded-md bg-sky-50 px-3 py-2 text-[12px] text-sky-900 dark:bg-sky-500/10 dark:text-sky-200">
            <span className="font-semibold">Frozen</span> until <Time iso={freeze.endsAt} format="datetime" />: {freeze.reason}. Rollbacks are still allowed.
          </p>
        ) : null}
      </div>

      {can.request || can.operate ? (
        <footer className="flex flex-wrap items-center gap-2 border-t border-zinc-200 bg-zinc-50/60 px-4 py-2.5 dark:border-zinc-800 dark:bg-zinc-900/40">
          {can.request ? (
            <RequestRolloutButton
              service={service}
              environment={status.environment}
              environmentTitle={status.title}
              checkpoint={status.policy === "checkpoint"}
              approvalsRequired={approvalsRequired}
              releases={releases}
              runningVersion={running?.version ?? null}
              disabledReason={freeze ? `Frozen until ${freeze.endsAt}: ${freeze.reason}` : null}
            />
          ) : null}
          {can.operate && rollbackFrom && ranWell.some((r) => r.version !== rollbackFrom.release.version) ? (
            <RollbackButton
              rolloutId={rollbackFrom.id}
              service={service}
              environment={status.environment}
              currentVersion={rollbackFrom.release.version}
              previousVersion={rollbackFrom.previousRelease?.version ?? null}
              releases={ranWell}
              prominent={rollbackFrom === failed}
              size="sm"
            />
          ) : null}
          {operate.length ? <WorkloadActions service={service} environment={status.environment} actions={operate} /> : null}
          {can.operate && running && !connected ? (
            <span className="inline-flex items-center gap-1.5 text-[12px] text-zinc-500 dark:text-zinc-400">
              <CloudOffIcon size={13} />
              Restart and pause need a cluster connection
            </span>
          ) : null}
        </footer>
      ) : null}
    </section>
  );
}

/** The clusters run something else than Slipway's last successful rollout there: show both, per workload. */
function DriftNotice({ drift, environment }: { drift: EnvironmentDrift; environment: string }) {
  return (
    <section
      aria-label={`Drift in ${environment}`}
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[12px] text-amber-950 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100"
    >
      <p className="flex items-center gap-1.5 font-semibold">
        <AlertIcon size={13} className="shrink-0" />
        The cluster runs something else than Slipway deployed
      </p>
      <p className="mt-0.5 text-amber-900 dark:text-amber-200">
        {drift.recorded ? "Changed outside Slipway, or Slipway lost track of it. " : "Slipway has no successful rollout recorded here. "}
        Roll out a release through Slipway to bring them back in line.
      </p>
      <dl className="mt-1.5 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5">
        <dt className="text-amber-900 dark:text-amber-200">Recorded</dt>
        <dd className="min-w-0 truncate font-mono" title={drift.recorded?.image}>
          {drift.recorded ? (
            <>
              <span className="font-semibold">{drift.recorded.version}</span> {drift.recorded.image}
            </>
          ) : (
            "nothing"
          )}
        </dd>
        {drift.workloads.map((w) => (
          <Fragment key={`${w.cluster}/${w.namespace}/${w.workload}`}>
            <dt className="text-amber-900 dark:text-amber-200">
              Live in <span className="font-mono">{w.cluster}</span>
            </dt>
            <dd className="min-w-0 truncate font-mono" title={`${w.namespace}/${w.workload}: ${w.liveImage}`}>
              {w.liveImage}
            </dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}
