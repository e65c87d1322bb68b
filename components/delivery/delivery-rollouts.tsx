import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus-ring";
import { ArrowRightIcon, InboxIcon } from "@/components/ui/icons";
import { Time } from "@/components/ui/time";
import type { DeliveryFigureName, DeliveryRollout } from "@/server/delivery/contract";
import { formatSpan } from "./format";

const figureTitle: Record<DeliveryFigureName, string> = {
  deploys: "Production deploys",
  "lead-time": "Successful production deploys and their lead time",
  failures: "Production deploys that failed or were rolled back",
  restore: "Failures and the success that restored each",
};

const stateBadge: Record<DeliveryRollout["state"], { tone: "green" | "red" | "amber"; text: string }> = {
  succeeded: { tone: "green", text: "succeeded" },
  failed: { tone: "red", text: "failed" },
  rolled_back: { tone: "amber", text: "rolled back" },
};

/** The production rollouts behind one delivery figure, newest first, each linking to its rollout page. */
export function DeliveryRollouts({
  figure,
  items,
  since,
  until,
  backHref,
  backText,
  showService,
}: {
  figure: DeliveryFigureName;
  items: DeliveryRollout[];
  since: string;
  until: string;
  backHref: string;
  backText: string;
  showService: boolean;
}) {
  const failures = figure === "failures" || figure === "restore";
  return (
    <Card aria-labelledby="delivery-rollouts-title">
      <CardHeader
        id="delivery-rollouts-title"
        title={
          <>
            {figureTitle[figure]}
            <span className="ml-1.5 font-normal text-zinc-400 tabular-nums dark:text-zinc-500">{items.length}</span>
          </>
        }
        description={
          <>
            <Time iso={since} format="date" /> to <Time iso={until} format="date" />
          </>
        }
        actions={
          <Link
            href={backHref}
            className={cn("inline-flex items-center gap-1 rounded text-xs font-medium text-indigo-700 hover:underline dark:text-indigo-300", focusRing)}
          >
            {backText}
          </Link>
        }
      />
      {!items.length ? (
        <EmptyState icon={<InboxIcon size={18} />} title="No rollouts" description="Nothing in this window counts towards this figure." />
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {items.map((r) => (
            <li
              key={r.id}
              className="group relative flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5 text-[13px] hover:bg-zinc-50 dark:hover:bg-zinc-800/40"
            >
              <div className="flex min-w-0 flex-1 basis-56 items-center gap-2">
                <Link
                  href={`/rollouts/${r.id}`}
                  className={cn("truncate font-mono font-semibold text-zinc-900 after:absolute after:inset-0 dark:text-zinc-100", focusRing)}
                >
                  {showService ? `${r.service} ${r.version}` : r.version}
                </Link>
                <Badge tone={stateBadge[r.state].tone}>{stateBadge[r.state].text}</Badge>
              </div>
              <span className="text-zinc-600 dark:text-zinc-400">
                ended <Time iso={r.finishedAt} format="datetime" />
              </span>
              {failures ? (
                <span className="text-zinc-700 dark:text-zinc-300">
                  {r.restoredBy && r.restoreMs !== null ? (
                    <>
                      restored after {formatSpan(r.restoreMs)} by{" "}
                      <Link
                        href={`/rollouts/${r.restoredBy}`}
                        className={cn("relative z-10 rounded text-indigo-700 underline underline-offset-2 dark:text-indigo-300", focusRing)}
                      >
                        the next success
                      </Link>
                    </>
                  ) : (
                    <span className="text-red-700 dark:text-red-300">not restored yet</span>
                  )}
                </span>
              ) : r.leadTimeMs !== null ? (
                <span className="text-zinc-700 dark:text-zinc-300">
                  lead time {formatSpan(r.leadTimeMs)}
                  {r.committedAt ? null : <span className="text-zinc-500 dark:text-zinc-400"> (from registration)</span>}
                </span>
              ) : null}
              {r.failureReason ? (
                <span className="w-full truncate text-[12px] text-red-700 dark:text-red-300" title={r.failureReason}>
                  {r.failureReason}
                </span>
              ) : null}
              <ArrowRightIcon size={14} className="text-zinc-300 group-hover:text-zinc-600 dark:text-zinc-600 dark:group-hover:text-zinc-300" />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
