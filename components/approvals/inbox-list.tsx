"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon, CheckIcon, XIcon } from "@/components/ui/icons";
import { environmentTitle, openCheckpoint } from "@/components/releases/format";
import type { Evidence, InboxItem } from "@/components/releases/types";
import { InboxCard } from "./inbox-card";

type Entry = { item: InboxItem; evidence: Evidence | null };
type Decided = { item: InboxItem; decision: "approve" | "reject"; completes: boolean };

/**
 * The checkpoints waiting for this person. A decided one leaves the inbox when the page refreshes; it is replaced
 * by a confirmation of what was decided, with a link to watch the rollout, until dismissed.
 */
export function InboxList({ entries, empty }: { entries: Entry[]; empty: ReactNode }) {
  const [decided, setDecided] = useState<Decided[]>([]);
  const decidedIds = new Set(decided.map((d) => d.item.id));
  const waiting = entries.filter(({ item }) => !decidedIds.has(item.id));
  return (
    <>
      {decided.length ? (
        <ul className="mb-3 space-y-2" aria-label="Your decisions">
          {decided.map((d) => (
            <li key={d.item.id}>
              <DecisionConfirmation decided={d} onDismiss={() => setDecided((all) => all.filter((x) => x.item.id !== d.item.id))} />
            </li>
          ))}
        </ul>
      ) : null}
      {waiting.length ? (
        <ol className="space-y-3">
          {waiting.map(({ item, evidence }) => (
            <li key={item.id}>
              <InboxCard
                item={item}
                evidence={evidence}
                onDecided={(decision) => {
                  const checkpoint = openCheckpoint(item);
                  const approvals = (checkpoint?.approvals.filter((a) => a.decision === "approve").length ?? 0) + 1;
                  const completes = decision === "approve" && approvals >= (checkpoint?.approvalsRequired ?? 1);
                  setDecided((all) => [{ item, decision, completes }, ...all.filter((x) => x.item.id !== item.id)]);
                }}
              />
            </li>
          ))}
        </ol>
      ) : (
        empty
      )}
    </>
  );
}

function DecisionConfirmation({ decided, onDismiss }: { decided: Decided; onDismiss: () => void }) {
  const { item, decision, completes } = decided;
  const checkpoint = openCheckpoint(item);
  const promote = checkpoint?.kind === "promote";
  const what = promote
    ? `the ${item.service} canary in ${environmentTitle(item.environment)}`
    : `${item.service} ${item.release.version} to ${environmentTitle(item.environment)}`;
  const next =
    decision === "reject"
      ? "Nothing will change in the cluster."
      : completes
        ? promote
          ? "The canary moves on to its next step now."
          : "It rolls out now."
        : "It still needs another person’s approval.";
  return (
    <div
      role="status"
      className={cn(
        "flex flex-wrap items-center gap-x-3 gap-y-1.5 rounded-lg border px-4 py-3 text-[13px]",
        decision === "approve"
          ? "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-100"
          : "border-zinc-300 bg-zinc-50 text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
      )}
    >
      {decision === "approve" ? <CheckIcon size={15} className="shrink-0 text-emerald-700 dark:text-emerald-300" /> : <XIcon size={15} className="shrink-0" />}
      <p className="min-w-0 flex-1 basis-64">
        <span className="font-semibold">
          You {decision === "approve" ? (promote ? "approved the promotion of" : "approved") : "rejected"} {what}.
        </span>{" "}
        {next}
      </p>
      <Link
        href={`/rollouts/${item.id}`}
        className={cn("inline-flex items-center gap-1 rounded font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
      >
        {decision === "approve" && completes ? "Watch the rollout" : "Open the rollout"}
        <ArrowRightIcon size={13} />
      </Link>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className={cn("rounded p-1 text-zinc-500 hover:bg-black/5 dark:text-zinc-400 dark:hover:bg-white/10", focusRing)}
      >
        <XIcon size={13} />
      </button>
    </div>
  );
}
