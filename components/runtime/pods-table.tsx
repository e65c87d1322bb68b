import { formatAge } from "@/components/ui/time-format";
import type { PodView } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";
import { isTroubled } from "./format";

/** `kubectl get pods -o wide`, with crash-looping pods marked. */
export function PodsTable({ pods, now }: { pods: PodView[]; now: number }) {
  if (!pods.length) return <p className="text-[12px] text-zinc-500 dark:text-zinc-400">No pods.</p>;
  return (
    // Focusable so a keyboard can scroll the table sideways on a phone.
    <div
      tabIndex={0}
      role="region"
      aria-label="Pods"
      className="overflow-x-auto rounded-md border border-zinc-200 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-800"
    >
      <table aria-label="Pods" className="w-full min-w-[44rem] text-left text-[12px]">
        <thead className="bg-zinc-50 text-[10px] tracking-wide text-zinc-500 uppercase dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th className="px-3 py-1.5 font-semibold">Pod</th>
            <th className="px-2 py-1.5 font-semibold">Status</th>
            <th className="px-2 py-1.5 font-semibold">Ready</th>
            <th className="px-2 py-1.5 text-right font-semibold">Restarts</th>
            <th className="px-2 py-1.5 text-right font-semibold">Age</th>
            <th className="px-2 py-1.5 font-semibold">Node</th>
            <th className="px-3 py-1.5 font-semibold">Last termination</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {pods.map((pod) => {
            const troubled = isTroubled(pod.status);
            return (
              <tr key={pod.name} data-troubled={troubled || undefined} className={cn(troubled && "bg-red-50/70 dark:bg-red-500/10")}>
                <td className="max-w-[16rem] truncate px-3 py-1.5 font-mono" title={pod.name}>
                  {pod.name}
                </td>
                <td
                  className={cn(
                    "px-2 py-1.5 font-medium whitespace-nowrap",
                    troubled
                      ? "text-red-700 dark:text-red-300"
                      : pod.status === "Running" && pod.ready
                        ? "text-emerald-700 dark:text-emerald-300"
                        : "text-zinc-600 dark:text-zinc-400",
                  )}
                >
                  {pod.status}
                </td>
                <td className="px-2 py-1.5 font-mono tabular-nums">
                  {pod.containersReady.ready}/{pod.containersReady.total}
                </td>
                <td className={cn("px-2 py-1.5 text-right font-mono tabular-nums", pod.restarts > 0 && "font-semibold text-red-700 dark:text-red-300")}>
                  {pod.restarts}
                </td>
                <td className="px-2 py-1.5 text-right font-mono tabular-nums" suppressHydrationWarning>
                  {formatAge(pod.createdAt, now)}
                </td>
                <td className="px-2 py-1.5 font-mono whitespace-nowrap text-zinc-600 dark:text-zinc-400">{pod.node ?? "–"}</td>
                <td className="px-3 py-1.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                  {pod.lastTermination ? (
                    <>
                      {pod.lastTermination.reason ?? "Terminated"}
                      {pod.lastTermination.exitCode !== null ? <span className="ml-1 font-mono text-[11px]">(exit {pod.lastTermination.exitCode})</span> : null}
                    </>
                  ) : (
                    "–"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
