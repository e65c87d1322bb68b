import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ShieldCheckIcon } from "@/components/ui/icons";
import type { Evidence, InboxItem } from "@/components/releases/types";
import { OthersRow } from "./inbox-card";
import { InboxList } from "./inbox-list";

/**
 * The approvals inbox: checkpoints this person may decide first (oldest first, as the server orders them, so
 * nothing waits forever), then those waiting for someone else, each with the reason it is not theirs.
 */
export function ApprovalsInbox({
  mine,
  others,
  isApprover,
  approverScope,
}: {
  mine: Array<{ item: InboxItem; evidence: Evidence | null }>;
  others: InboxItem[];
  isApprover: boolean;
  approverScope: string[];
}) {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 md:px-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">Approvals</h1>
          <p className="mt-1 max-w-2xl text-[13px] text-zinc-600 dark:text-zinc-400">
            Checkpoints waiting for a decision, oldest first: production deploys and canary promotions. Nothing reaches production without a person’s recorded
            approval, and never the requester’s own.
          </p>
        </div>
        <p className="text-[12px] text-zinc-500 dark:text-zinc-400">
          {isApprover
            ? approverScope.length
              ? `You approve for ${approverScope.join(", ")}`
              : "You approve for every squad"
            : "You do not have the approver role"}
        </p>
      </header>

      <section aria-labelledby="mine-title" className="mt-6">
        <h2 id="mine-title" className="mb-3 flex items-center gap-2 text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
          Waiting for you
          <span className="rounded-full bg-amber-100 px-1.5 text-[11px] text-amber-800 tabular-nums dark:bg-amber-500/20 dark:text-amber-200">
            {mine.length}
          </span>
        </h2>
        {/* Always mounted, so the confirmation of a decision outlives the refresh that takes the card away. */}
        <InboxList
          entries={mine}
          empty={
            <div className="rounded-lg border border-dashed border-zinc-300 dark:border-zinc-700">
              <EmptyState
                icon={<ShieldCheckIcon size={18} />}
                title="Nothing waits for your approval"
                description={
                  isApprover
                    ? "When someone asks to deploy a service you approve for, the checkpoint appears here and the count in the header goes up."
                    : "Approving production checkpoints needs the approver role. The checkpoints of your squads are listed below, with who can decide them."
                }
                action={
                  <Link href="/" className={buttonClass({ size: "sm" })}>
                    Back to the catalogue
                  </Link>
                }
              />
            </div>
          }
        />
      </section>

      {others.length ? (
        <section aria-labelledby="others-title" className="mt-8">
          <h2 id="others-title" className="mb-3 flex items-center gap-2 text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
            Waiting for others
            <span className="rounded-full bg-zinc-100 px-1.5 text-[11px] text-zinc-600 tabular-nums dark:bg-zinc-800 dark:text-zinc-300">{others.length}</span>
          </h2>
          <ol className="divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900/60">
            {others.map((item) => (
              <OthersRow key={item.id} item={item} />
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
