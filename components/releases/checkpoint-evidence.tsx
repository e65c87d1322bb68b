import { formatDuration } from "@/components/ui/time-format";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { CheckIcon, ExternalLinkIcon, XIcon } from "@/components/ui/icons";
import { CommitLink } from "./commit-link";
import { environmentTitle, stateLabel, stateTone } from "./format";
import type { CheckpointView, Evidence, ReleaseView } from "./types";
import { Elapsed, Time } from "@/components/ui/time";

/** What runs now next to what is proposed: version, commit, author, when CI registered it. */
export function ReleaseCompare({
  running,
  proposed,
  runningSince,
  environment,
  before = false,
}: {
  running: ReleaseView | null;
  proposed: ReleaseView;
  runningSince?: string | null;
  environment: string;
  /** The rollout has gone ahead: `running` is what ran before it, not what runs now. */
  before?: boolean;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <ReleaseBox
        label={before ? `Ran in ${environmentTitle(environment)} before` : `Runs in ${environmentTitle(environment)} now`}
        release={running}
        since={before ? null : (runningSince ?? null)}
      />
      <ReleaseBox label="Proposed" release={proposed} highlight />
    </div>
  );
}

function ReleaseBox({ label, release, since, highlight = false }: { label: string; release: ReleaseView | null; since?: string | null; highlight?: boolean }) {
  return (
    <div
      className={cn(
        "rounded-lg border px-3.5 py-3",
        highlight
          ? "border-indigo-200 bg-indigo-50/50 dark:border-indigo-500/30 dark:bg-indigo-500/[0.07]"
          : "border-zinc-200 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-900",
      )}
    >
      <p className="text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</p>
      {release ? (
        <>
          <p className="mt-1 font-mono text-lg font-semibold text-zinc-900 dark:text-zinc-50">{release.version}</p>
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-[12px] text-zinc-600 dark:text-zinc-400">
            <CommitLink release={release} />
            {release.author ? <span>by {release.author}</span> : null}
            {since ? (
              <span>
                since <Time iso={since} />
              </span>
            ) : (
              <span>
                built <Time iso={release.createdAt} />
              </span>
            )}
            {release.buildUrl ? (
              <a
                href={release.buildUrl}
                target="_blank"
                rel="noreferrer"
                className={cn("inline-flex items-center gap-1 rounded text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
              >
                build <ExternalLinkIcon size={11} />
              </a>
            ) : null}
          </div>
          <p
            className="mt-1.5 truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-500"
            title={release.digest ? `${release.image}@${release.digest}` : release.image}
          >
            {release.image}
          </p>
        </>
      ) : (
        <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">Nothing: this is the first deploy here.</p>
      )}
    </div>
  );
}

/** The releases between what runs and what is proposed, newest first: the commits this rollout brings. */
export function ChangeList({ changes, proposedVersion }: { changes: ReleaseView[]; proposedVersion: string }) {
  if (!changes.length) return <p className="text-[13px] text-zinc-500 dark:text-zinc-400">No releases between what runs now and {proposedVersion}.</p>;
  return (
    <ol className="relative space-y-0">
      {changes.map((release, i) => {
        const lines = release.changelog?.trim().split("\n").filter(Boolean) ?? [];
        const proposed = release.version === proposedVersion;
        const first = lines[0] ?? null;
        const more = lines.length > 1;
        return (
          <li key={release.id} className="relative flex gap-3 pb-3 last:pb-0">
            {i < changes.length - 1 ? <span aria-hidden className="absolute top-4 bottom-0 left-[5px] w-px bg-zinc-200 dark:bg-zinc-800" /> : null}
            <span
              aria-hidden
              className={cn(
                "relative mt-1.5 size-[11px] shrink-0 rounded-full border-2",
                release.version === proposedVersion
                  ? "border-indigo-500 bg-indigo-500 dark:border-indigo-400 dark:bg-indigo-400"
                  : "border-zinc-300 bg-white dark:border-zinc-600 dark:bg-zinc-900",
              )}
            />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-x-2.5 gap-y-0.5">
                <span className="font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">{release.version}</span>
                <CommitLink release={release} />
                {release.author ? <span className="text-[12px] text-zinc-600 dark:text-zinc-400">{release.author}</span> : null}
                <Time iso={release.createdAt} className="text-[12px] text-zinc-500 dark:text-zinc-500" />
              </div>
              {proposed && lines.length ? (
                <ul className="mt-1 list-disc space-y-0.5 pl-4 text-[13px] text-zinc-700 marker:text-zinc-400 dark:text-zinc-300">
                  {lines.map((line, j) => (
                    <li key={j}>{line.replace(/^[-*]\s*/, "")}</li>
                  ))}
                </ul>
              ) : first ? (
                more ? (
                  <details className="group mt-0.5">
                    <summary
                      className={cn(
                        "cursor-pointer list-none rounded text-[13px] text-zinc-700 dark:text-zinc-300 [&::-webkit-details-marker]:hidden",
                        focusRing,
                      )}
                    >
                      {first} <span className="text-[12px] text-indigo-700 group-open:hidden dark:text-indigo-300">more</span>
                    </summary>
                    <pre className="mt-1 font-sans text-[13px] whitespace-pre-wrap text-zinc-600 dark:text-zinc-400">{lines.slice(1).join("\n")}</pre>
                  </details>
                ) : (
                  <p className="mt-0.5 text-[13px] text-zinc-700 dark:text-zinc-300">{first}</p>
                )
              ) : (
                <p className="mt-0.5 text-[12px] text-zinc-400 italic dark:text-zinc-500">No changelog</p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** How the same release did before this environment: state, and how long it has run there. */
export function EarlierEnvironments({
  earlier,
  version,
  runningNow,
}: {
  earlier: Evidence["earlier"];
  version: string;
  /** What each environment runs now and since when, to tell "still running" from "ran for 3d until replaced". */
  runningNow: Record<string, { version: string; since: string | null } | undefined>;
}) {
  if (!earlier.length) {
    return <p className="text-[13px] text-amber-700 dark:text-amber-300">This release has not been deployed to any earlier environment.</p>;
  }
  return (
    <ul className="space-y-2">
      {earlier.map((e) => (
        <li key={e.environment} className="text-[13px]">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-zinc-800 capitalize dark:text-zinc-200">{e.environment}</span>
            <Badge tone={stateTone[e.state]}>{stateLabel[e.state]}</Badge>
          </div>
          {e.state === "succeeded" && e.since ? (
            <EarlierRun since={e.since} version={version} now={runningNow[e.environment]} />
          ) : e.failureReason ? (
            <p className="mt-0.5 text-red-700 dark:text-red-300">{e.failureReason}</p>
          ) : null}
          {e.health ? <HealthLine health={e.health} /> : null}
        </li>
      ))}
    </ul>
  );
}

function EarlierRun({ since, version, now }: { since: string; version: string; now: { version: string; since: string | null } | undefined }) {
  if (!now || now.version === version) {
    return (
      <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">
        Running there for <Elapsed since={since} className="font-medium text-zinc-800 tabular-nums dark:text-zinc-200" />, since{" "}
        <Time iso={since} format="datetime" />
      </p>
    );
  }
  const ran = now.since ? new Date(now.since).getTime() - new Date(since).getTime() : null;
  return (
    <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">
      Ran there
      {ran !== null && ran > 0 ? (
        <>
          {" "}
          for <span className="font-medium text-zinc-800 tabular-nums dark:text-zinc-200">{formatDuration(ran)}</span>
        </>
      ) : null}{" "}
      from <Time iso={since} format="datetime" />, until <span className="font-mono">{now.version}</span> replaced it
      {now.since ? (
        <>
          {" "}
          <Time iso={now.since} />
        </>
      ) : null}
      .
    </p>
  );
}

/** N of M, as pips and words. */
export function ApprovalProgress({ checkpoint, className }: { checkpoint: Pick<CheckpointView, "approvals" | "approvalsRequired">; className?: string }) {
  const approved = checkpoint.approvals.filter((a) => a.decision === "approve").length;
  const required = Math.max(checkpoint.approvalsRequired, 1);
  return (
    <span className={cn("inline-flex items-center gap-1.5 text-[12px] text-zinc-700 dark:text-zinc-300", className)}>
      <span aria-hidden className="flex gap-0.5">
        {Array.from({ length: required }, (_, i) => (
          <span key={i} className={cn("h-1.5 w-3 rounded-full", i < approved ? "bg-emerald-500 dark:bg-emerald-400" : "bg-zinc-200 dark:bg-zinc-700")} />
        ))}
      </span>
      <span className="tabular-nums">
        {approved} of {required} approval{required === 1 ? "" : "s"}
      </span>
    </span>
  );
}

/** The decisions on a checkpoint, oldest first, each with its comment. */
export function ApprovalList({ checkpoint }: { checkpoint: CheckpointView }) {
  if (!checkpoint.approvals.length) {
    return <p className="text-[13px] text-zinc-500 dark:text-zinc-400">No decisions yet.</p>;
  }
  return (
    <ul className="space-y-2.5">
      {checkpoint.approvals.map((a, i) => (
        <li key={`${a.person}-${i}`} className="flex gap-2.5">
          <span
            aria-hidden
            className={cn(
              "mt-0.5 flex size-5 shrink-0 items-center justify-center rounded-full",
              a.decision === "approve"
                ? "bg-emerald-100 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-300"
                : "bg-red-100 text-red-700 dark:bg-red-500/15 dark:text-red-300",
            )}
          >
            {a.decision === "approve" ? <CheckIcon size={12} /> : <XIcon size={12} />}
          </span>
          <div className="min-w-0 text-[13px]">
            <p className="text-zinc-800 dark:text-zinc-200">
              <span className="font-medium">{a.person}</span>{" "}
              <span className="text-zinc-500 dark:text-zinc-400">{a.decision === "approve" ? "approved" : "rejected"}</span>{" "}
              <Time iso={a.at} className="text-[12px] text-zinc-500 dark:text-zinc-400" />
            </p>
            <p className="mt-0.5 break-words whitespace-pre-wrap text-zinc-600 dark:text-zinc-400">“{a.comment}”</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A rollout's measured effect: "error ratio 0.2% -> 4.1%, p95 120 ms -> 180 ms". */
export function HealthLine({ health }: { health: { verdict: string; summary: string } }) {
  const tone =
    health.verdict === "degraded"
      ? "text-red-700 dark:text-red-300"
      : health.verdict === "healthy"
        ? "text-emerald-700 dark:text-emerald-300"
        : "text-zinc-600 dark:text-zinc-400";
  return (
    <p className={`mt-0.5 ${tone}`}>
      {health.verdict === "degraded" ? "Metrics worse: " : health.verdict === "healthy" ? "Metrics unchanged: " : "Metrics: "}
      {health.summary}
    </p>
  );
}

/** The workloads an approval lets Slipway patch, fixed when the rollout was requested. */
export function WillPatch({ targets }: { targets: string[] }) {
  if (!targets.length) return null;
  return (
    <div className="text-[13px]">
      <p className="text-zinc-600 dark:text-zinc-400">Will patch</p>
      <ul className="mt-0.5 font-mono text-[12px] text-zinc-800 dark:text-zinc-200">
        {targets.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </div>
  );
}
