import type { RunningVersion } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";
import { shortDigest } from "./format";

/** The version a workload runs: tag (or the whole image) and a shortened digest; the full reference on hover. */
export function VersionChip({ version, tone = "neutral", label }: { version: RunningVersion; tone?: "neutral" | "target"; label?: string }) {
  const digest = shortDigest(version.digest);
  return (
    <span
      title={`${version.image}${version.digest && !version.image.includes("@") ? `@${version.digest}` : ""}`}
      aria-label={`${label ?? "Version"} ${version.tag ?? version.image}${digest ? `, digest ${digest}` : ""}`}
      className={cn(
        "inline-flex items-center overflow-hidden rounded-md text-[12px] leading-5 ring-1 ring-inset",
        tone === "target" ? "ring-indigo-300 dark:ring-indigo-500/50" : "ring-zinc-300 dark:ring-zinc-700",
      )}
    >
      <span
        className={cn(
          "px-2 font-mono font-semibold",
          tone === "target"
            ? "bg-indigo-50 text-indigo-800 dark:bg-indigo-500/15 dark:text-indigo-200"
            : "bg-zinc-50 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100",
        )}
      >
        {version.tag ?? version.image.split("/").pop()}
      </span>
      {digest ? (
        <span className="border-l border-zinc-200 px-1.5 font-mono text-[11px] text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">{digest}</span>
      ) : null}
    </span>
  );
}
