import type { ReplicaSetView } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";

/** ReplicaSets by revision: what each runs and how many of its pods are ready. */
export function ReplicaSetList({ replicaSets, container }: { replicaSets: ReplicaSetView[]; container: string | null }) {
  if (!replicaSets.length) return null;
  return (
    <div>
      <h4 className="mb-1 text-[11px] font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">ReplicaSets</h4>
      <ul aria-label="ReplicaSets" className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        {replicaSets.map((rs) => {
          const image = rs.images.find((i) => i.container === container) ?? rs.images[0];
          const total = Math.max(rs.replicas.desired, rs.replicas.current);
          const share = total > 0 ? (rs.replicas.ready / total) * 100 : 0;
          const idle = rs.replicas.desired === 0 && rs.replicas.current === 0;
          return (
            <li
              key={rs.name}
              data-replicaset={rs.name}
              data-revision={rs.revision ?? undefined}
              className={cn(
                "grid grid-cols-[3.25rem_minmax(0,1fr)_3rem_2.75rem] items-center gap-2 px-3 sm:grid-cols-[4.5rem_minmax(0,1fr)_7rem_3.5rem] sm:gap-3 py-1.5 text-[12px]",
                idle && "text-zinc-400 dark:text-zinc-500",
              )}
            >
              <span className="font-mono tabular-nums">rev {rs.revision ?? "?"}</span>
              <span className="min-w-0 truncate font-mono" title={rs.images.map((i) => `${i.container}: ${i.image}`).join("\n")}>
                {image?.tag ?? image?.image ?? "–"}
                <span className="ml-2 text-[11px] text-zinc-400 max-sm:hidden dark:text-zinc-500">{rs.podTemplateHash}</span>
              </span>
              <span
                role="meter"
                aria-label={`${rs.replicas.ready} of ${rs.replicas.desired} pods ready`}
                aria-valuemin={0}
                aria-valuemax={total}
                aria-valuenow={rs.replicas.ready}
                className="h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
              >
                <span
                  className={cn("block h-full transition-[width] duration-500", share >= 100 ? "bg-emerald-500" : "bg-sky-500")}
                  style={{ width: `${share}%` }}
                />
              </span>
              <span className="text-right font-mono tabular-nums">
                {rs.replicas.ready}/{rs.replicas.desired}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
