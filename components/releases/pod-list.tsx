import { cn } from "@/components/ui/cn";
import { AlertIcon } from "@/components/ui/icons";
import { stuckReasons } from "./format";
import type { EventView, PodView } from "./types";
import { Time } from "@/components/ui/time";

/** The pods of a workload, new ones first; a container that cannot start is red, with how it last ended. */
export function PodList({ pods, newHash, workloadName }: { pods: PodView[]; newHash: string | null; workloadName?: string }) {
  if (!pods.length) return <p className="px-3 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">No pods yet.</p>;
  const sorted = [...pods].sort((a, b) => Number(b.podTemplateHash === newHash) - Number(a.podTemplateHash === newHash) || a.name.localeCompare(b.name));
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={workloadName ? `Pods of ${workloadName}` : "Pods"}>
      <table className="w-full text-left text-[12px]">
        <caption className="sr-only">Pods</caption>
        <thead className="text-[11px] tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th scope="col" className="py-1.5 pr-3 pl-3 font-medium">
              Pod
            </th>
            <th scope="col" className="py-1.5 pr-3 font-medium">
              Status
            </th>
            <th scope="col" className="py-1.5 pr-3 text-right font-medium">
              Ready
            </th>
            <th scope="col" className="py-1.5 pr-3 text-right font-medium">
              Restarts
            </th>
            <th scope="col" className="hidden py-1.5 pr-3 font-medium sm:table-cell">
              Age
            </th>
            <th scope="col" className="hidden py-1.5 pr-3 font-medium lg:table-cell">
              Node
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {sorted.map((pod) => {
            const reason = pod.waitingReason;
            const stuck = !!reason && stuckReasons.has(reason);
            const isNew = newHash !== null && pod.podTemplateHash === newHash;
            const containers = pod.containersReady ?? { ready: pod.ready ? 1 : 0, total: 1 };
            return (
              <tr key={pod.name} className={cn("transition-colors", stuck && "bg-red-50/60 dark:bg-red-500/[0.06]")}>
                <td className="max-w-[16rem] py-1.5 pr-3 pl-3">
                  <div className="flex items-center gap-1.5">
                    <span
                      aria-hidden
                      className={cn("size-1.5 shrink-0 rounded-full", isNew ? "bg-emerald-500 dark:bg-emerald-400" : "bg-zinc-400 dark:bg-zinc-500")}
                    />
                    <span className="truncate font-mono text-zinc-800 dark:text-zinc-200" title={pod.name}>
                      {workloadName && pod.name.startsWith(`${workloadName}-`) ? (
                        <>
                          {/* On a phone the workload's name is the same on every row: keep the part that differs. */}
                          <span className="hidden sm:inline">{workloadName}-</span>
                          <span className="sm:hidden" aria-hidden>
                            …
                          </span>
                          {pod.name.slice(workloadName.length + 1)}
                        </>
                      ) : (
                        pod.name
                      )}
                    </span>
                    <span className="sr-only">{isNew ? "(new)" : "(old)"}</span>
                  </div>
                </td>
                <td className="py-1.5 pr-3 whitespace-nowrap">
                  {stuck ? (
                    <span className="inline-flex items-center gap-1 font-semibold text-red-700 dark:text-red-300">
                      <AlertIcon size={12} />
                      {reason}
                    </span>
                  ) : (
                    <span
                      className={cn(
                        pod.status === "Running" && pod.ready && "text-emerald-700 dark:text-emerald-300",
                        pod.status === "Terminating" && "text-zinc-400 dark:text-zinc-500",
                        !pod.ready && pod.status !== "Terminating" && "text-amber-700 dark:text-amber-300",
                      )}
                    >
                      {reason ?? pod.status}
                    </span>
                  )}
                  {pod.lastTermination?.reason ? (
                    <span className="ml-1.5 text-[11px] text-zinc-500 dark:text-zinc-400">
                      last exit {pod.lastTermination.reason}
                      {pod.lastTermination.exitCode !== null ? ` (${pod.lastTermination.exitCode})` : ""}
                    </span>
                  ) : null}
                </td>
                <td className="py-1.5 pr-3 text-right font-mono tabular-nums">
                  {containers.ready}/{containers.total}
                </td>
                <td className={cn("py-1.5 pr-3 text-right font-mono tabular-nums", pod.restarts > 0 && "font-semibold text-red-700 dark:text-red-300")}>
                  {pod.restarts}
                </td>
                <td className="hidden py-1.5 pr-3 whitespace-nowrap text-zinc-500 sm:table-cell dark:text-zinc-400">
                  {pod.createdAt ? <Time iso={pod.createdAt} /> : "—"}
                </td>
                <td className="hidden max-w-[10rem] truncate py-1.5 pr-3 font-mono text-zinc-500 lg:table-cell dark:text-zinc-400">{pod.node ?? "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Warning events explain a failure ("Back-off restarting failed container", "Failed to pull image"). */
export function WarningEvents({
  events,
  limit = 8,
}: {
  events: Array<Pick<EventView, "reason" | "message"> & Partial<EventView> & { object?: string }>;
  limit?: number;
}) {
  if (!events.length) return null;
  return (
    <ul className="divide-y divide-red-100 dark:divide-red-500/15">
      {events.slice(0, limit).map((event, i) => (
        <li key={`${event.reason}-${i}`} className="flex gap-2 py-1.5 text-[12px]">
          <AlertIcon size={13} className="mt-0.5 shrink-0 text-red-600 dark:text-red-400" />
          <div className="min-w-0 flex-1">
            <p className="text-zinc-800 dark:text-zinc-200">
              <span className="font-semibold">{event.reason}</span>
              {event.count && event.count > 1 ? <span className="ml-1 text-zinc-500 tabular-nums dark:text-zinc-400">×{event.count}</span> : null}
              <span className="mx-1.5 text-zinc-300 dark:text-zinc-600">·</span>
              <span className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
                {event.object ?? (event.involvedKind ? `${event.involvedKind}/${event.involvedName}` : "")}
              </span>
            </p>
            <p className="mt-0.5 break-words text-zinc-600 dark:text-zinc-400">{event.message}</p>
          </div>
          {event.lastSeen ? <Time iso={event.lastSeen} className="shrink-0 text-[11px] text-zinc-400 dark:text-zinc-500" /> : null}
        </li>
      ))}
      {events.length > limit ? <li className="py-1.5 text-[11px] text-zinc-500">and {events.length - limit} more</li> : null}
    </ul>
  );
}
