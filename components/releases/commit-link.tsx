import { cn } from "@/components/ui/cn";
import { focusRing } from "@/components/ui/focus-ring";
import { shortSha } from "./format";
import { CommitIcon } from "@/components/ui/icons";
import type { ReleaseView } from "./types";

/** A release's commit: its short SHA, linked to the forge when CI told us where. */
export function CommitLink({ release, className, icon = true }: { release: Pick<ReleaseView, "commitSha" | "commitUrl">; className?: string; icon?: boolean }) {
  const body = (
    <>
      {icon ? <CommitIcon size={13} className="shrink-0 text-zinc-400 dark:text-zinc-500" /> : null}
      <span className="font-mono">{shortSha(release.commitSha)}</span>
    </>
  );
  const base = "inline-flex items-center gap-1 text-[12px] tabular-nums";
  if (!release.commitUrl) {
    return (
      <span className={cn(base, "text-zinc-600 dark:text-zinc-400", className)} title={release.commitSha}>
        {body}
      </span>
    );
  }
  return (
    <a
      href={release.commitUrl}
      target="_blank"
      rel="noreferrer"
      title={`Commit ${release.commitSha} (opens the repository)`}
      className={cn(base, "rounded text-indigo-700 hover:underline dark:text-indigo-300", focusRing, className)}
    >
      {body}
    </a>
  );
}

/** "1.4.2 → 1.5.0", monospaced; the proposed version stands out. */
export function VersionChange({ from, to, className }: { from: string | null | undefined; to: string; className?: string }) {
  return (
    <span className={cn("inline-flex min-w-0 items-center gap-1.5 font-mono text-[13px]", className)}>
      {from ? (
        <>
          <span className="truncate text-zinc-500 dark:text-zinc-400">{from}</span>
          <span aria-label="to" className="text-zinc-400 dark:text-zinc-500">
            →
          </span>
        </>
      ) : (
        <span className="text-[11px] font-sans text-zinc-400 dark:text-zinc-500">first deploy →</span>
      )}
      <span className="truncate font-semibold text-zinc-900 dark:text-zinc-50">{to}</span>
    </span>
  );
}
