import type { ListedVersion, ServiceVersions } from "@/server/cluster/listed-versions";
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
        const state = v ? stateText[v.state] : null;
        const label = v
          ? `${env.title}: ${versionText(v)}${v.mixed ? " (mixed)" : ""}${state ? `, ${state}` : ""}`
          : `${env.title}: not running`;
        return (
          <li
            key={env.name}
            data-environment={env.name}
            title={v ? `${v.image}${v.mixed ? "\nClusters run different versions" : ""}\n${v.clusters.join(", ")}` : `Nothing of this service runs in ${env.title}`}
            aria-label={label}
            className="inline-flex max-w-full items-center overflow-hidden rounded text-[11px] leading-4 ring-1 ring-zinc-200 ring-inset dark:ring-zinc-700"
          >
            <span aria-hidden className="flex shrink-0 items-center gap-1 bg-zinc-50 px-1.5 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
              {v && v.state !== "complete" ? <span className={cn("size-1.5 rounded-full", stateDot[v.state])} /> : null}
              {env.title}
            </span>
            <span aria-hidden className={cn("min-w-0 truncate px-1.5 font-mono", v ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-400 dark:text-zinc-500")}>
              {v ? versionText(v) : "–"}
              {v?.mixed ? <span className="ml-1 font-sans text-amber-700 dark:text-amber-300">mixed</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
