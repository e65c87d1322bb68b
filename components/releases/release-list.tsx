import { cn } from "@/components/ui/cn";
import { CommitLink } from "./commit-link";
import { EnvironmentBadge } from "./rollout-badges";
import { Time } from "@/components/ui/time";
import type { ReleaseView } from "./types";

/** The builds CI registered, newest first, with where each one runs now. */
export function ReleaseList({ releases, runningIn }: { releases: ReleaseView[]; runningIn: Record<string, string[]> }) {
  return (
    <section aria-labelledby="releases-title" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900/60">
      <header className="border-b border-zinc-200 px-4 py-2.5 dark:border-zinc-800">
        <h2 id="releases-title" className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">
          Releases
        </h2>
        <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">Builds registered by CI, newest first</p>
      </header>
      {releases.length ? (
        <>
          <ul className="divide-y divide-zinc-100 sm:hidden dark:divide-zinc-800/70">
            {releases.map((r) => (
              <li key={r.id} className="px-4 py-2.5">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <span className="font-mono text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">{r.version}</span>
                  {(runningIn[r.version] ?? []).map((env) => (
                    <EnvironmentBadge key={env} environment={env} />
                  ))}
                  <CommitLink release={r} className="ml-auto" />
                </div>
                <p className="mt-0.5 truncate text-[12px] text-zinc-500 dark:text-zinc-400">
                  {r.author ? `${r.author} · ` : ""}
                  <Time iso={r.createdAt} />
                  {r.changelog ? ` · ${r.changelog.split("\n")[0]}` : ""}
                </p>
              </li>
            ))}
          </ul>
          <div className="hidden overflow-x-auto sm:block" tabIndex={0} role="region" aria-label="Releases">
            <table className="w-full text-left text-[13px]">
              <caption className="sr-only">Releases</caption>
              <thead className="text-[11px] tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                <tr className="border-b border-zinc-200 dark:border-zinc-800">
                  <th scope="col" className="px-3 py-2 pl-4 font-medium">
                    Version
                  </th>
                  <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
                    Image
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Commit
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Author
                  </th>
                  <th scope="col" className="px-3 py-2 pr-4 font-medium">
                    Registered
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
                {releases.map((r) => (
                  <tr key={r.id} className="align-top">
                    <td className="px-3 py-2 pl-4">
                      <div className="flex flex-wrap items-center gap-1.5">
                        <span className="font-mono font-semibold text-zinc-900 dark:text-zinc-100">{r.version}</span>
                        {(runningIn[r.version] ?? []).map((env) => (
                          <EnvironmentBadge key={env} environment={env} />
                        ))}
                      </div>
                      {r.changelog ? (
                        <p className="mt-0.5 max-w-[28rem] truncate text-[12px] text-zinc-500 dark:text-zinc-400" title={r.changelog}>
                          {r.changelog.split("\n")[0]}
                        </p>
                      ) : null}
                    </td>
                    <td className={cn("hidden max-w-[22rem] px-3 py-2 lg:table-cell")}>
                      <span
                        className="block truncate font-mono text-[12px] text-zinc-600 dark:text-zinc-400"
                        title={r.digest ? `${r.image}@${r.digest}` : r.image}
                      >
                        {r.image}
                      </span>
                    </td>
                    <td className="px-3 py-2">
                      <CommitLink release={r} />
                    </td>
                    <td className="px-3 py-2 text-zinc-700 dark:text-zinc-300">{r.author ?? "—"}</td>
                    <td className="px-3 py-2 pr-4 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                      <Time iso={r.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="px-4 py-8 text-center text-[13px] text-zinc-500 dark:text-zinc-400">
          No releases yet. CI registers them with <code className="font-mono text-[12px]">POST /api/v1/services/…/releases</code>.
        </p>
      )}
    </section>
  );
}
