"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ChevronRightIcon, XCircleIcon } from "@/components/ui/icons";
import { DecisionForm } from "@/components/approvals/decision-form";
import { ActionButton } from "./action-button";
import { ApprovalList, ApprovalProgress, EarlierEnvironments, HealthLine, WillPatch } from "./checkpoint-evidence";
import { CommitLink, VersionChange } from "./commit-link";
import { cancellableStates, environmentTitle, rollbackableStates, untouchedStates } from "./format";
import { releasesApi } from "@/components/api/releases";
import { RollbackButton } from "./rollback-dialog";
import { EnvironmentBadge, RolloutStateBadge, TierBadge } from "./rollout-badges";
import { StatusBanner } from "./status-banner";
import { ExpiryCountdown, Time } from "@/components/ui/time";
import type { CheckpointView, Evidence, ReleaseView, RolloutView, WorkloadAction } from "./types";
import { WorkloadActions } from "./workload-actions";
import { LiveSection } from "./rollout-live-section";
import { EvidenceSection, ReleaseFacts, SideCard, Timeline } from "./rollout-details";
import { useLiveRollout } from "./use-live-rollout";

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
  const { rollout, open, live, status, streaming } = useLiveRollout(initial, decision?.checkpointId ?? null);

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
