import type { WorkloadView } from "@/server/cluster/contract";
import { cn } from "@/components/ui/cn";

/** desired / updated / ready / available, as `kubectl get deploy` counts them. */
export function ReplicaCounters({ replicas }: { replicas: WorkloadView["replicas"] }) {
  const cells: Array<[string, number, boolean]> = [
    ["Desired", replicas.desired, false],
    ["Updated", replicas.updated, replicas.updated < replicas.desired],
    ["Ready", replicas.ready, replicas.ready < replicas.desired],
    ["Available", replicas.available, replicas.available < replicas.desired],
  ];
  return (
    <dl aria-label="Replicas" className="grid grid-cols-4 overflow-hidden rounded-md border border-zinc-200 text-center dark:border-zinc-800">
      {cells.map(([label, value, short]) => (
        <div key={label} data-counter={label.toLowerCase()} className="border-l border-zinc-200 px-2.5 py-1 first:border-l-0 dark:border-zinc-800">
          <dt className="text-[10px] tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
          <dd
            className={cn(
              "font-mono text-[13px] font-semibold tabular-nums",
              short ? "text-amber-700 dark:text-amber-300" : "text-zinc-900 dark:text-zinc-100",
            )}
          >
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
