"use client";

import { durationBetween, formatDuration } from "@/components/ui/time-format";
import { type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ExternalLinkIcon } from "@/components/ui/icons";
import { ChangeList, ReleaseCompare } from "./checkpoint-evidence";
import { CommitLink } from "./commit-link";
import { Time } from "@/components/ui/time";
import type { Evidence, ReleaseView, RolloutView } from "./types";

/** The side cards and facts of the rollout page: its timeline, the release, the evidence an approver weighs. */
export function SideCard({
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

export function Timeline({ rollout }: { rollout: RolloutView }) {
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

export function ReleaseFacts({ release }: { release: ReleaseView }) {
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

export function EvidenceSection({ rollout, evidence, runningSince }: { rollout: RolloutView; evidence: Evidence; runningSince: string | null }) {
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
