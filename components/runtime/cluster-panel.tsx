import type { ClusterRuntime } from "@/server/cluster/contract";
import { Card, CardHeader } from "@/components/ui/card";
import { AlertIcon } from "@/components/ui/icons";
import { WorkloadPanel } from "./workload-panel";

/** One cluster of an environment: its workloads, or its error in their place. */
export function ClusterPanel({ cluster, now }: { cluster: ClusterRuntime; now: number }) {
  const where = cluster.namespaces ? `namespace ${cluster.namespaces.join(", ")}` : "all namespaces";
  return (
    <Card aria-label={`Cluster ${cluster.cluster}`}>
      <CardHeader title={<span className="font-mono">{cluster.cluster}</span>} description={where} />
      {cluster.error ? (
        <div role="alert" className="flex items-start gap-2 px-4 py-3 text-[13px] text-red-700 dark:text-red-300">
          <AlertIcon size={16} className="mt-0.5 shrink-0" />
          <span>{cluster.error.message}</span>
        </div>
      ) : null}
      {!cluster.error && cluster.refused?.length ? (
        <div
          role="status"
          className="flex items-start gap-2 border-b border-zinc-200 px-4 py-3 text-[13px] text-amber-800 dark:border-zinc-800 dark:text-amber-200"
        >
          <AlertIcon size={16} className="mt-0.5 shrink-0" />
          <div>
            <p>The service&apos;s mapping also matches workloads it does not own; they are not shown, and Slipway will not act on them:</p>
            <ul className="mt-1 list-disc pl-5">
              {cluster.refused.map((r) => (
                <li key={r.workload}>{r.reason}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {cluster.error ? null : cluster.workloads.length === 0 ? (
        <p className="px-4 py-3 text-[13px] text-zinc-500 dark:text-zinc-400">No workloads of this service run here.</p>
      ) : (
        <div className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {cluster.workloads.map((w) => (
            <WorkloadPanel key={`${w.workload.namespace}/${w.workload.kind}/${w.workload.name}`} runtime={w} now={now} />
          ))}
        </div>
      )}
    </Card>
  );
}
