import type { ListedVersion, ServiceVersions } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";

/** What a rollout state reads as beside a version (nothing when it is complete). */
export const stateText: Record<ListedVersion["state"], string | null> = {
  complete: null,
  progressing: "rolling out",
  paused: "paused",
  failed: "rollout failed",
  waiting: "waiting",
};

const stateDot: Record<ListedVersion["state"], string> = {
  complete: "bg-emerald-500",
  progressing: "bg-sky-500 animate-pulse",
  paused: "bg-amber-500",
  failed: "bg-red-500",
  waiting: "bg-zinc-400",
};

/**
 * What an environment's chip says about it now. A failed last rollout wins over the workload's own state (a
 * Deployment whose new pods crash-loop still reports "progressing" until its deadline), so a failure never reads as
 * "rolling out".
 */
export function versionStatus(v: ListedVersion): { text: string | null; tone: ListedVersion["state"]; detail: string | null } {
  if (v.health === "failing") {
    return { text: "failing", tone: "failed", detail: v.failedVersion ? `The last rollout, of ${v.failedVersion}, failed` : "The last rollout failed" };
  }
  if (v.health === "degraded") return { text: "degraded", tone: "failed", detail: "The workload reports a failed rollout" };
  return { text: stateText[v.state], tone: v.state, detail: null };
}

/** The version a workload runs: its image tag, or the image's last path segment. */
export function versionText(v: ListedVersion): string {
  return v.tag ?? v.image.split("/").pop() ?? v.image;
}

/**
 * Which version runs where: one chip per environment (in the configured order), e.g. `Staging 1.43.0`,
 * `Production 1.42.1`. An environment running nothing of the service shows a dash.
 */
export function RunningVersions({
  environments,
  versions,
  className,
}: {
  environments: ServiceVersions["environments"];
  versions: Record<string, ListedVersion | null> | undefined;
  className?: string;
}) {
  if (!versions || !environments.length) return null;
  if (environments.every((e) => !versions[e.name])) return null;
  return (
    <ul className={cn("flex flex-wrap gap-1", className)} aria-label="Running versions">
      {environments.map((env) => {
        const v = versions[env.name] ?? null;
        const status = v ? versionStatus(v) : null;
        const state = status?.text ?? null;
        const label = v
          ? `${env.title}: ${versionText(v)}${v.mixed ? " (mixed)" : ""}${state ? `, ${state}` : ""}${status?.detail ? ` (${status.detail})` : ""}`
          : `${env.title}: not running`;
        return (
          <li
            key={env.name}
            data-environment={env.name}
            title={
              v
                ? `${v.image}${v.mixed ? "\nClusters run different versions" : ""}${status?.detail ? `\n${status.detail}` : ""}\n${v.clusters.join(", ")}`
                : `Nothing of this service runs in ${env.title}`
            }
            aria-label={label}
            data-health={v?.health}
            className={cn(
              "inline-flex max-w-full items-center overflow-hidden rounded text-[11px] leading-4 ring-1 ring-inset",
              v && v.health !== "healthy" ? "ring-red-300 dark:ring-red-500/50" : "ring-zinc-200 dark:ring-zinc-700",
            )}
          >
            <span aria-hidden className="flex shrink-0 items-center gap-1 bg-zinc-50 px-1.5 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
              {status && status.tone !== "complete" ? <span className={cn("size-1.5 rounded-full", stateDot[status.tone])} /> : null}
              {env.title}
            </span>
            <span aria-hidden className={cn("min-w-0 truncate px-1.5 font-mono", v ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-400 dark:text-zinc-500")}>
              {v ? versionText(v) : "–"}
              {v?.mixed ? <span className="ml-1 font-sans text-amber-700 dark:text-amber-300">mixed</span> : null}
              {v && v.health !== "healthy" ? <span className="ml-1 font-sans font-medium text-red-700 dark:text-red-300">{state}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
