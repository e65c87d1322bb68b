"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import type { ServiceRuntime } from "@/server/cluster/contract";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Select } from "@/components/ui/select";
import { LogList } from "./log-list";
import { fetchPodLogs, fetchRuntime } from "./logs-api";
import { ProblemList } from "./problem-list";

/**
 * A pod's own output, read through the Kubernetes API rather than the log store: works where no log store is
 * configured, and `previous` shows what a crash-looping container printed before it died.
 */
export function PodLogsPanel({ service, environment, wrap }: { service: string; environment: string; wrap: boolean }) {
  const runtime = useQuery({ queryKey: ["runtime-pods", service], queryFn: ({ signal }) => fetchRuntime(service, signal), staleTime: 15_000 });
  const pods = useMemo(() => podsIn(runtime.data, environment), [runtime.data, environment]);
  const [chosen, setChosen] = useState<string>("");
  const [previous, setPrevious] = useState(false);
  const pod = pods.find((p) => p.name === chosen) ?? pods.find((p) => p.restarts > 0) ?? pods[0];
  const output = useQuery({
    queryKey: ["pod-logs", service, environment, pod?.name, previous],
    queryFn: ({ signal }) => fetchPodLogs(service, pod!.name, { environment, previous, tailLines: 500 }, signal),
    enabled: Boolean(pod),
  });
  // Oldest first, as `kubectl logs` prints it: a stack trace reads top to bottom.
  const lines = output.data?.lines ?? [];
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setExpanded((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  return (
    <section aria-label="Pod output" className="space-y-2">
      <h2 className="text-[13px] font-semibold text-zinc-900 dark:text-zinc-100">Pod output, from the Kubernetes API</h2>
      {runtime.isPending ? <p className="text-[13px] text-zinc-600 dark:text-zinc-400">Looking for the service&apos;s pods…</p> : null}
      {runtime.data && !pods.length ? <p className="text-[13px] text-zinc-600 dark:text-zinc-400">No pods of this service run in {environment}.</p> : null}
      {pod ? (
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-[13px] text-zinc-600 dark:text-zinc-300">
            Pod
            <Select aria-label="Pod to read" value={pod.name} onChange={(e) => setChosen(e.target.value)} className="max-w-[18rem]">
              {pods.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} ({p.status}
                  {p.restarts ? `, ${p.restarts} restarts` : ""})
                </option>
              ))}
            </Select>
          </label>
          <label className="flex items-center gap-1.5 text-[13px] text-zinc-700 dark:text-zinc-300">
            <Checkbox checked={previous} onChange={(e) => setPrevious(e.target.checked)} />
            Previous container (the one that crashed)
          </label>
          <Button size="sm" onClick={() => void output.refetch()} disabled={output.isFetching}>
            Reload
          </Button>
        </div>
      ) : null}
      {output.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 dark:bg-red-950/50 dark:text-red-200">
          {(output.error as Error).message}
        </p>
      ) : null}
      {output.data ? <ProblemList problems={output.data.errors} environment={environment} /> : null}
      {output.data && !output.data.errors.length ? (
        <LogList
          key={`${pod?.name}-${previous}`}
          startAtEnd
          label="Pod output, oldest first"
          lines={lines}
          wrap={wrap}
          expanded={expanded}
          onToggle={toggle}
          className="h-[50dvh] min-h-[240px]"
          footer={
            <p className="px-3 py-2 text-center text-[12px] text-zinc-600 dark:text-zinc-400">
              {lines.length
                ? `The last ${lines.length} lines ${previous ? "of the previous container" : "the container wrote"}.`
                : "The container wrote nothing."}
            </p>
          }
        />
      ) : null}
    </section>
  );
}

function podsIn(runtime: ServiceRuntime | undefined, environment: string) {
  const clusters = runtime?.environments.find((e) => e.name === environment)?.clusters ?? [];
  return clusters.flatMap((c) => c.workloads.flatMap((w) => w.pods));
}
