import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon, LockIcon } from "@/components/ui/icons";
import { ApprovalProgress, HealthLine, WillPatch } from "@/components/releases/checkpoint-evidence";
import { CommitLink, VersionChange } from "@/components/releases/commit-link";
import { environmentTitle, openCheckpoint, stateLabel } from "@/components/releases/format";
import { EnvironmentBadge, TierBadge } from "@/components/releases/rollout-badges";
import { ExpiryCountdown, Time } from "@/components/ui/time";
import type { Evidence, InboxItem } from "@/components/releases/types";
import { DecisionForm } from "./decision-form";

function checkpointWord(item: InboxItem) {
  const checkpoint = openCheckpoint(item);
  return checkpoint?.kind === "promote" ? `Canary step ${(checkpoint.stepIndex ?? 0) + 1}` : "Deploy";
}

/**
 * A checkpoint waiting for this person: what would change, the evidence in brief, and the decision right there.
 * The title opens the rollout page with the full evidence.
 */
export function InboxCard({ item, evidence, onDecided }: { item: InboxItem; evidence: Evidence | null; onDecided?: (decision: "approve" | "reject") => void }) {
  const checkpoint = openCheckpoint(item);
  const href = `/rollouts/${item.id}`;
  const staging = evidence?.earlier.at(-1);
  const titleId = `inbox-${item.id}`;
  return (
    <article
      aria-labelledby={titleId}
      className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs transition-shadow hover:shadow-sm dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <div className="grid grid-cols-1 md:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 px-4 py-3.5">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1.5">
            <TierBadge tier={item.tier} />
            <h3 id={titleId} className="min-w-0 text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
              <Link href={href} className={cn("rounded font-mono hover:text-indigo-700 hover:underline dark:hover:text-indigo-300", focusRing)}>
                {item.service}
                <span className="sr-only">
                  {" "}
                  {item.release.version} to {item.environment}
                </span>
              </Link>
            </h3>
            <EnvironmentBadge environment={item.environment} />
            <Badge tone={checkpoint?.kind === "promote" ? "violet" : "neutral"}>{checkpointWord(item)}</Badge>
            {item.expiresAt ? <ExpiryCountdown expiresAt={item.expiresAt} className="ml-auto text-[12px]" /> : null}
          </div>

          <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1">
            <VersionChange from={item.previousRelease?.version} to={item.release.version} className="text-[14px]" />
            <CommitLink release={item.release} />
            {evidence ? (
              <span className="text-[12px] text-zinc-600 dark:text-zinc-400">
                {evidence.changes.length} release{evidence.changes.length === 1 ? "" : "s"} in this change
              </span>
            ) : null}
          </div>

          <dl className="mt-2.5 grid grid-cols-1 gap-x-6 gap-y-1.5 text-[13px] sm:grid-cols-2">
            <div className="min-w-0">
              <dt className="sr-only">Requested by</dt>
              <dd className="text-zinc-600 dark:text-zinc-400">
                <span className="font-medium text-zinc-800 dark:text-zinc-200">{item.requestedBy}</span> asked <Time iso={item.createdAt} />
                {item.reason ? (
                  <span className="block truncate italic" title={item.reason}>
                    “{item.reason}”
                  </span>
                ) : null}
              </dd>
            </div>
            {staging ? (
              <div className="min-w-0">
                <dt className="sr-only">Earlier environment</dt>
                <dd className="text-zinc-600 dark:text-zinc-400">
                  <span className="capitalize">{staging.environment}</span>:{" "}
                  <span
                    className={cn(
                      "font-medium",
                      staging.state === "succeeded"
                        ? "text-emerald-700 dark:text-emerald-300"
                        : staging.state === "failed"
                          ? "text-red-700 dark:text-red-300"
                          : "text-zinc-800 dark:text-zinc-200",
                    )}
                  >
                    {stateLabel[staging.state].toLowerCase()}
                  </span>
                  {staging.since ? (
                    <>
                      {" "}
                      <Time iso={staging.since} />
                    </>
                  ) : null}
                </dd>
              </div>
            ) : evidence && checkpoint?.kind === "deploy" ? (
              <div className="text-amber-700 dark:text-amber-300">Not deployed to an earlier environment</div>
            ) : null}
          </dl>
          {staging?.health ? <HealthLine health={staging.health} /> : null}
          {evidence && checkpoint?.kind === "deploy" ? (
            <div className="mt-2">
              <WillPatch targets={evidence.willPatch} />
            </div>
          ) : null}

          {checkpoint ? (
            <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-zinc-100 pt-2.5 dark:border-zinc-800">
              <ApprovalProgress checkpoint={checkpoint} />
              {checkpoint.approvals.map((a, i) => (
                <span key={i} className="min-w-0 truncate text-[12px] text-zinc-600 dark:text-zinc-400" title={a.comment}>
                  <span className="font-medium text-zinc-800 dark:text-zinc-200">{a.person}</span>: “{a.comment}”
                </span>
              ))}
            </div>
          ) : null}

          <Link
            href={href}
            className={cn(
              "mt-3 inline-flex items-center gap-1 rounded text-[13px] font-medium text-indigo-700 hover:underline dark:text-indigo-300",
              focusRing,
            )}
          >
            Review the evidence
            <ArrowRightIcon size={13} />
          </Link>
        </div>

        <div className="border-t border-zinc-200 bg-zinc-50/70 px-4 py-3.5 md:border-t-0 md:border-l dark:border-zinc-800 dark:bg-zinc-900">
          <DecisionForm
            rolloutId={item.id}
            canDecide={item.canDecide}
            whyNot={item.whyNot}
            compact
            onDecided={onDecided}
            what={
              checkpoint?.kind === "promote"
                ? `promote the ${item.service} canary in ${item.environment}`
                : `deploy ${item.service} ${item.release.version} to ${environmentTitle(item.environment)}`
            }
          />
        </div>
      </div>
    </article>
  );
}

/** A checkpoint someone else must decide, with the reason this person cannot. */
export function OthersRow({ item }: { item: InboxItem }) {
  const checkpoint = openCheckpoint(item);
  return (
    <li className="relative px-4 py-3 transition-colors hover:bg-zinc-50 dark:hover:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-x-2.5 gap-y-1">
        <TierBadge tier={item.tier} />
        <Link
          href={`/rollouts/${item.id}`}
          className={cn("rounded font-mono text-[13px] font-semibold text-zinc-900 after:absolute after:inset-0 hover:underline dark:text-zinc-100", focusRing)}
        >
          {item.service}
          <span className="sr-only">
            {" "}
            {item.release.version} to {item.environment}
          </span>
        </Link>
        <EnvironmentBadge environment={item.environment} />
        <VersionChange from={item.previousRelease?.version} to={item.release.version} className="text-[12px]" />
        <span className="text-[12px] text-zinc-500 dark:text-zinc-400">
          {checkpointWord(item)} · {item.requestedBy} · <Time iso={item.createdAt} />
        </span>
        <span className="ml-auto flex items-center gap-3">
          {checkpoint ? <ApprovalProgress checkpoint={checkpoint} /> : null}
          {item.expiresAt ? <ExpiryCountdown expiresAt={item.expiresAt} className="text-[12px]" /> : null}
        </span>
      </div>
      {item.whyNot ? (
        <p className="mt-1 flex items-start gap-1.5 text-[12px] text-zinc-500 dark:text-zinc-400">
          <LockIcon size={12} className="mt-0.5 shrink-0" />
          {item.whyNot}
        </p>
      ) : null}
    </li>
  );
}
