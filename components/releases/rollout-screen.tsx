"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ChevronRightIcon, ExternalLinkIcon } from "@/components/ui/icons";
import { DecisionForm } from "@/components/approvals/decision-form";
import { ActionButton } from "./action-button";
import { ApprovalList, ApprovalProgress, ChangeList, EarlierEnvironments, HealthLine, ReleaseCompare, WillPatch } from "./checkpoint-evidence";
import { CommitLink, VersionChange } from "./commit-link";
import { cancellableStates, durationBetween, environmentTitle, formatDuration, rollbackableStates, untouchedStates } from "./format";
import { CloudOffIcon, XCircleIcon } from "./icons";
import { releasesApi } from "./releases-api";
import { RollbackButton } from "./rollback-dialog";
import { EnvironmentBadge, RolloutStateBadge, TierBadge } from "./rollout-badges";
import { StatusBanner } from "./status-banner";
import { TargetLiveCard } from "./target-live-card";
import { ExpiryCountdown, Time } from "./time";
import type { CheckpointView, Evidence, ReleaseView, RolloutView, WorkloadAction } from "./types";
import { useRolloutStream, type StreamStatus } from "./use-rollout-stream";
import { WorkloadActions } from "./workload-actions";

export type RolloutScreenProps = {
  initial: RolloutView;
  evidence: Evidence | null;
  /** Since when what runs now has run in the rollout's environment. */
  runningSince: string | null;
  /** What a rollback may return to: the releases that ran well in this environment, newest first. */
  releases: ReleaseView[];
  /** Who may still approve the open checkpoint (display names), for the requester's "who do I ask?". */
  approvers: string[];
  /** For a rolled-back rollout, the rollback that replaced it. */
  rolledBackBy: { id: string; version: string; by: string } | null;
  /** Whether the rollout's environment is the first of the pipeline (nothing to show "before" it). */
  firstEnvironment: boolean;
  /** What each environment runs now, and since when. */
  runningNow: Record<string, { version: string; since: string | null } | undefined>;
  /** The inbox's verdict on the open checkpoint for this person, computed on the server. */
  decision: { checkpointId: string; canDecide: boolean; whyNot: string | null } | null;
  can: { cancel: boolean; rollback: boolean; operate: boolean };
  /** Whether this Slipway has a cluster backend at all. */
  connected: boolean;
};

/**
 * The page of one rollout: the checkpoint with its evidence, and the rollout itself, live. The server renders the
 * first state; the stream keeps state, approvals and the workloads current without a refresh button.
 */
export function RolloutScreen({
  initial,
  evidence,
  runningSince,
  releases,
  approvers,
  rolledBackBy,
  firstEnvironment,
  runningNow,
  decision,
  can,
  connected,
}: RolloutScreenProps) {
  const router = useRouter();
  const streaming = !untouchedStates.includes(initial.state);
  const { live, status } = useRolloutStream(initial.id, streaming);
  // The stream is newer than the page, except right after a refresh brought a newer page.
  const rollout = live && live.rollout.id === initial.id && !isOlder(live.rollout, initial) ? live.rollout : initial;
  const open = rollout.checkpoints.find((c) => c.state === "awaiting_approval") ?? null;

  // A new state or a newly opened checkpoint changes what this person may do: ask the server again, once per change.
  const refreshedFor = useRef(`${initial.state}|${decision?.checkpointId ?? ""}`);
  useEffect(() => {
    const key = `${rollout.state}|${open?.id ?? ""}`;
    const pageKey = `${initial.state}|${decision?.checkpointId ?? ""}`;
    if (key === pageKey || key === refreshedFor.current) return;
    refreshedFor.current = key;
    router.refresh();
  }, [rollout.state, open?.id, initial.state, decision?.checkpointId, router]);

  const env = environmentTitle(rollout.environment);
  const deploysHref = `/services/${encodeURIComponent(rollout.service)}/deploys`;
  const deployCheckpoint = rollout.checkpoints.find((c) => c.kind === "deploy") ?? null;
  const promoteCheckpoints = rollout.checkpoints.filter((c) => c.kind === "promote");
  const openDecision = open && decision && decision.checkpointId === open.id ? decision : null;
  const waiting = rollout.state === "requested" || rollout.state === "awaiting_approval";
  const untouched = untouchedStates.includes(rollout.state);
  const canRollback = can.rollback && rollbackableStates.includes(rollout.state) && releases.some((r) => r.version !== rollout.release.version);
  const rollbackButton = (prominent: boolean) => (
    <RollbackButton
      key="rollback"
      rolloutId={rollout.id}
      service={rollout.service}
      environment={rollout.environment}
      currentVersion={rollout.release.version}
      previousVersion={rollout.previousRelease?.version ?? null}
      releases={releases}
      prominent={prominent}
      size="sm"
    />
  );
  const yourDecision = !!openDecision?.canDecide;
  const openPromote = promoteCheckpoints.find((c) => c.state === "awaiting_approval") ?? null;
  const isCanary = rollout.targets.some((t) => t.workloadKind === "Rollout");
  const aborted = (live?.observations ?? []).some((o) => o.observation?.workload.canary?.aborted);
  // An aborted canary can be retried; a running one aborted or promoted all the way.
  const canaryActions: WorkloadAction[] = can.operate && rollout.state === "progressing" && isCanary ? (aborted ? ["retry"] : ["abort", "promote-full"]) : [];

  // One primary action for this viewer: decide what waits for them, or roll back a failure. The rest is secondary.
  let primary: ReactNode = null;
  if (open && yourDecision) {
    primary = (
      <a href={open.kind === "deploy" ? "#decide" : "#decide-promotion"} className={buttonClass({ variant: "primary", size: "sm" })}>
        {open.kind === "deploy" ? "Review and decide" : "Decide the promotion"}
      </a>
    );
  } else if (rollout.state === "failed" && canRollback) {
    primary = rollbackButton(true);
  }
  const secondary: ReactNode[] = [];
  if (can.cancel && cancellableStates.includes(rollout.state)) {
    secondary.push(
      <ActionButton
        key="cancel"
        size="sm"
        label="Cancel request"
        icon={<XCircleIcon size={14} />}
        title="Cancel this rollout?"
        description={`${rollout.release.version} will not be deployed to ${env}. Nothing has changed in a cluster yet; the request stays in the history as cancelled.`}
        confirmLabel="Cancel rollout"
        dismissLabel="Keep it"
        danger
        onConfirm={async (reason) => {
          await releasesApi.cancel(rollout.id, reason);
          router.refresh();
          return "Rollout cancelled.";
        }}
      />,
    );
  }
  if (canaryActions.length)
    secondary.push(<WorkloadActions key="canary" service={rollout.service} environment={rollout.environment} actions={canaryActions} />);
  if (canRollback && rollout.state !== "failed") secondary.push(rollbackButton(false));

  const decisionFor = (checkpoint: CheckpointView, compact = false) =>
    checkpoint.state === "awaiting_approval" ? (
      <DecisionForm
        rolloutId={rollout.id}
        canDecide={openDecision?.checkpointId === checkpoint.id ? openDecision.canDecide : false}
        whyNot={openDecision?.checkpointId === checkpoint.id ? openDecision.whyNot : "Checking whether you may decide this checkpoint…"}
        what={
          checkpoint.kind === "deploy"
            ? `deploy ${rollout.release.version} to ${rollout.environment}`
            : `promote the canary past step ${(checkpoint.stepIndex ?? 0) + 1}`
        }
        compact={compact}
      />
    ) : null;

  const liveSection = (
    <LiveSection
      rollout={rollout}
      live={live}
      status={status}
      streaming={streaming}
      connected={connected}
      promote={openPromote}
      promoteForm={(c) => decisionFor(c, true)}
    />
  );
  const evidenceSection = evidence ? <EvidenceSection rollout={rollout} evidence={evidence} runningSince={runningSince} /> : null;

  return (
    <div className="mx-auto max-w-[1440px] px-4 py-5 md:px-6">
      <nav aria-label="Breadcrumb" className="mb-3">
        <ol className="flex flex-wrap items-center gap-1 text-xs text-zinc-500 dark:text-zinc-400">
          <li>
            <Link href="/" className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
              Catalogue
            </Link>
          </li>
          <li aria-hidden>
            <ChevronRightIcon size={12} />
          </li>
          <li>
            <Link
              href={`/services/${encodeURIComponent(rollout.service)}`}
              className={cn("rounded font-mono hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}
            >
              {rollout.service}
            </Link>
          </li>
          <li aria-hidden>
            <ChevronRightIcon size={12} />
          </li>
          <li>
            <Link href={deploysHref} className={cn("rounded hover:text-zinc-900 dark:hover:text-zinc-100", focusRing)}>
              Deploys
            </Link>
          </li>
          <li aria-hidden>
            <ChevronRightIcon size={12} />
          </li>
          <li aria-current="page" className="text-zinc-700 dark:text-zinc-300">
            {rollout.kind === "rollback" ? "Rollback" : "Rollout"} <span className="font-mono">{rollout.id.slice(0, 8)}</span>
          </li>
        </ol>
      </nav>

      <header className="flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-x-2.5 gap-y-2">
            <h1 className="flex min-w-0 flex-wrap items-baseline gap-x-2 text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
              <Link
                href={`/services/${encodeURIComponent(rollout.service)}`}
                className={cn("rounded font-mono break-all hover:text-indigo-700 dark:hover:text-indigo-300", focusRing)}
              >
                {rollout.service}
              </Link>
              <span className="font-mono text-zinc-900 dark:text-zinc-50">{rollout.release.version}</span>
              <span className="text-base font-normal text-zinc-500 dark:text-zinc-400">to {env}</span>
            </h1>
            <RolloutStateBadge state={rollout.state} />
            <EnvironmentBadge environment={rollout.environment} />
            <TierBadge tier={rollout.tier} />
            {rollout.kind === "rollback" ? <Badge tone="violet">Rollback</Badge> : null}
          </div>
          <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-[13px] text-zinc-600 dark:text-zinc-400">
            <VersionChange from={rollout.previousRelease?.version} to={rollout.release.version} />
            <CommitLink release={rollout.release} />
            <span>
              requested by <span className="font-medium text-zinc-800 dark:text-zinc-200">{rollout.requestedBy}</span> <Time iso={rollout.createdAt} />
            </span>
          </div>
          {rollout.reason ? <p className="mt-1.5 max-w-3xl text-[13px] text-zinc-600 italic dark:text-zinc-400">“{rollout.reason}”</p> : null}
        </div>
      </header>

      <Timeline rollout={rollout} />

      <div className="mt-4">
        <StatusBanner
          rollout={rollout}
          live={live}
          connected={connected}
          deploysHref={deploysHref}
          primary={primary}
          secondary={secondary}
          rolledBackBy={rolledBackBy}
          approvers={open ? approvers : null}
          yourDecision={yourDecision}
        />
      </div>

      <div className="mt-5 grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1fr)_22rem] xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-5">
          {waiting || untouched ? (
            <>
              {evidenceSection}
              {liveSection}
            </>
          ) : (
            <>
              {liveSection}
              {evidenceSection}
            </>
          )}
        </div>

        <aside className="min-w-0 space-y-4" aria-label="Checkpoint">
          {deployCheckpoint ? (
            <SideCard
              title={`${env} checkpoint`}
              description={
                <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <ApprovalProgress checkpoint={deployCheckpoint} />
                  {deployCheckpoint.state === "awaiting_approval" && rollout.expiresAt ? (
                    <ExpiryCountdown expiresAt={rollout.expiresAt} className="text-[12px]" />
                  ) : null}
                </span>
              }
              highlight={deployCheckpoint.state === "awaiting_approval"}
            >
              <ApprovalList checkpoint={deployCheckpoint} />
              {deployCheckpoint.state === "awaiting_approval" ? (
                <div id="decide" className="mt-4 scroll-mt-4 border-t border-zinc-100 pt-3 dark:border-zinc-800">
                  {decisionFor(deployCheckpoint)}
                </div>
              ) : null}
            </SideCard>
          ) : promoteCheckpoints.length ? null : (
            <SideCard title="No checkpoint">
              <p className="text-[13px] text-zinc-600 dark:text-zinc-400">
                {rollout.kind === "rollback"
                  ? "Rollbacks go straight through: they are the emergency exit, and they are recorded."
                  : `${env} deploys automatically once CI registers a release.`}
              </p>
            </SideCard>
          )}

          {promoteCheckpoints.length ? (
            <SideCard title="Canary promotions">
              <ul className="space-y-3">
                {promoteCheckpoints.map((c) => (
                  <li key={c.id}>
                    <div className="flex items-center justify-between gap-2 text-[13px]">
                      <span className="font-medium text-zinc-800 dark:text-zinc-200">Step {(c.stepIndex ?? 0) + 1}</span>
                      <ApprovalProgress checkpoint={c} />
                    </div>
                    {c.approvals.length ? (
                      <div className="mt-2">
                        <ApprovalList checkpoint={c} />
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </SideCard>
          ) : null}

          {evidence && !firstEnvironment ? (
            <SideCard title="Before this environment" description={`How ${rollout.release.version} did earlier in the pipeline`}>
              <EarlierEnvironments earlier={evidence.earlier} version={rollout.release.version} runningNow={runningNow} />
            </SideCard>
          ) : null}

          {evidence?.willPatch.length ? (
            <SideCard title="Workloads">
              <WillPatch targets={evidence.willPatch} />
            </SideCard>
          ) : null}

          {rollout.health ? (
            <SideCard title="What it did">
              <HealthLine health={rollout.health} />
            </SideCard>
          ) : null}

          <SideCard title="Release">
            <ReleaseFacts release={rollout.release} />
          </SideCard>
        </aside>
      </div>
    </div>
  );
}

function isOlder(a: RolloutView, b: RolloutView): boolean {
  const stamp = (r: RolloutView) =>
    [r.finishedAt, r.startedAt, r.approvedAt].filter(Boolean).length + r.checkpoints.reduce((n, c) => n + c.approvals.length, 0);
  return stamp(a) < stamp(b);
}

function SideCard({
  title,
  description,
  highlight = false,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  highlight?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      className={cn(
        "rounded-lg border bg-white dark:bg-zinc-900/60",
        highlight
          ? "border-amber-300 shadow-[0_0_0_3px] shadow-amber-100 dark:border-amber-500/40 dark:shadow-amber-500/10"
          : "border-zinc-200 dark:border-zinc-800",
      )}
    >
      <header className="border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <h2 className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
        {description ? <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{description}</div> : null}
      </header>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

function Timeline({ rollout }: { rollout: RolloutView }) {
  const took = durationBetween(rollout.startedAt, rollout.finishedAt);
  const items: Array<[string, ReactNode]> = [
    ["Requested", <Time key="r" iso={rollout.createdAt} format="datetime" />],
    ["Approved", rollout.approvedAt ? <Time key="a" iso={rollout.approvedAt} format="datetime" /> : null],
    ["Started", rollout.startedAt ? <Time key="s" iso={rollout.startedAt} format="datetime" /> : null],
    ["Finished", rollout.finishedAt ? <Time key="f" iso={rollout.finishedAt} format="datetime" /> : null],
    ["Duration", took !== null ? formatDuration(took) : null],
  ];
  return (
    <dl className="mt-4 grid grid-cols-2 gap-px overflow-hidden rounded-lg border border-zinc-200 bg-zinc-200 sm:grid-cols-5 dark:border-zinc-800 dark:bg-zinc-800">
      {items.map(([label, value]) => (
        <div key={label} className="bg-white px-3 py-2 last:col-span-2 sm:last:col-span-1 dark:bg-zinc-950">
          <dt className="text-[10px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
          <dd className={cn("mt-0.5 text-[13px] tabular-nums", value ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-400 dark:text-zinc-600")}>
            {value ?? "—"}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ReleaseFacts({ release }: { release: ReleaseView }) {
  const row = (label: string, value: ReactNode) => (
    <div className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-2 py-1 text-[13px]">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 text-zinc-800 dark:text-zinc-200">{value}</dd>
    </div>
  );
  return (
    <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {row("Version", <span className="font-mono">{release.version}</span>)}
      {row(
        "Image",
        <span className="block truncate font-mono text-[12px]" title={release.image}>
          {release.image}
        </span>,
      )}
      {release.digest
        ? row(
            "Digest",
            <span className="block truncate font-mono text-[12px]" title={release.digest}>
              {release.digest}
            </span>,
          )
        : null}
      {row("Commit", <CommitLink release={release} />)}
      {release.author ? row("Author", release.author) : null}
      {row(
        "Registered",
        <span>
          <Time iso={release.createdAt} /> by {release.registeredBy}
        </span>,
      )}
      {release.buildUrl
        ? row(
            "Build",
            <a
              href={release.buildUrl}
              target="_blank"
              rel="noreferrer"
              className={cn("inline-flex items-center gap-1 rounded text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
            >
              CI run <ExternalLinkIcon size={11} />
            </a>,
          )
        : null}
    </dl>
  );
}

function EvidenceSection({ rollout, evidence, runningSince }: { rollout: RolloutView; evidence: Evidence; runningSince: string | null }) {
  const commits = evidence.changes.length;
  return (
    <section aria-labelledby="evidence-title" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60">
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <h2 id="evidence-title" className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
          {rollout.kind === "rollback" ? "What this rollback restores" : "What this rollout brings"}
        </h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {rollout.kind === "rollback"
            ? evidence.running
              ? `back from ${evidence.running.version}`
              : "an earlier release"
            : `${commits} release${commits === 1 ? "" : "s"} ${evidence.running ? `since ${evidence.running.version}` : "so far"}`}
        </p>
      </header>
      <div className="space-y-5 px-4 py-4">
        <ReleaseCompare
          running={evidence.running}
          proposed={evidence.proposed}
          runningSince={runningSince}
          environment={rollout.environment}
          before={!["requested", "awaiting_approval", "approved", "rejected", "cancelled", "expired"].includes(rollout.state)}
        />
        <div>
          <h3 className="mb-2 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            {rollout.kind === "rollback" ? "Changelog" : "Releases and commits in this rollout"}
          </h3>
          <ChangeList changes={rollout.kind === "rollback" ? [evidence.proposed] : evidence.changes} proposedVersion={evidence.proposed.version} />
        </div>
      </div>
    </section>
  );
}

const streamWords: Record<StreamStatus, { label: string; dot: string }> = {
  idle: { label: "Not streaming", dot: "bg-zinc-400" },
  connecting: { label: "Connecting…", dot: "bg-zinc-400 animate-pulse" },
  live: { label: "Live", dot: "bg-emerald-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  stopped: { label: "Live updates stopped — reload the page", dot: "bg-red-500" },
};

function LiveSection({
  rollout,
  live,
  status,
  streaming,
  connected,
  promote,
  promoteForm,
}: {
  rollout: RolloutView;
  live: ReturnType<typeof useRolloutStream>["live"];
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
    <div aria-hidden className="mb-4 space-y-1.5 opacity-60">
      {[
        [0, 3],
        [3, 0],
      ].map(([filled, outlined], row) => (
        <div key={row} className="flex items-center gap-2">
          <span className="w-8 text-right text-[10px] font-semibold text-zinc-400 uppercase dark:text-zinc-500">{row === 0 ? "new" : "old"}</span>
          <div className="flex gap-1">
            {Array.from({ length: filled! }, (_, i) => (
              <span key={`f${i}`} className="size-4 rounded-[3px] bg-zinc-300 dark:bg-zinc-700" />
            ))}
            {Array.from({ length: outlined! }, (_, i) => (
              <span key={`o${i}`} className="size-4 rounded-[3px] outline-1 -outline-offset-1 outline-dashed outline-zinc-300 dark:outline-zinc-600" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
