"use client";

import type { ServiceRuntime } from "@/server/cluster/contract";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { AlertIcon, ComponentIcon } from "@/components/ui/icons";
import { ClusterPanel } from "./cluster-panel";
import { useNow } from "@/components/ui/use-now";
import type { StreamStatus } from "@/components/api/use-event-stream";
import { useRuntimeStream } from "./use-runtime-stream";

const streamLabel: Record<StreamStatus, { text: string; dot: string }> = {
  idle: { text: "Connecting…", dot: "bg-zinc-400" },
  connecting: { text: "Connecting…", dot: "bg-zinc-400" },
  live: { text: "Live", dot: "bg-emerald-500" },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  // Not reached: the runtime stream asks again after a refusal instead of stopping.
  stopped: { text: "Disconnected", dot: "bg-zinc-400" },
};

/** The Runtime tab: every environment and cluster, re-rendered as the cluster's watches report changes. */
export function RuntimeView({ initial, streamUrl }: { initial: ServiceRuntime; streamUrl: string }) {
  const { runtime, state } = useRuntimeStream(initial, streamUrl);
  // Until hydrated, ages count from when the server observed the runtime (the same on both sides).
  const now = useNow(5_000) ?? Date.parse(runtime.observedAt);
  const live = streamLabel[state];

  if (runtime.mappingError || !runtime.mapping) {
    return (
      <EmptyState
        icon={runtime.mappingError ? <AlertIcon size={18} /> : <ComponentIcon size={18} />}
        title={runtime.mappingError ? "Slipway cannot look this service up in Kubernetes" : "No Kubernetes workloads are linked to this service"}
        description={
          runtime.mappingError ?? (
            <>
              Add a <code className="font-mono">backstage.io/kubernetes-id</code> annotation (and optionally{" "}
              <code className="font-mono">backstage.io/kubernetes-namespace</code>) to its catalog-info.yaml.
            </>
          )
        }
      />
    );
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2 text-[12px] text-zinc-500 dark:text-zinc-400">
        <p>
          Workloads found by <span className="font-mono text-zinc-700 dark:text-zinc-300">{runtime.mapping}</span>
        </p>
        <p className="flex items-center gap-1.5" aria-live="polite">
          <span aria-hidden className={cn("size-2 rounded-full", live.dot)} />
          {live.text}
        </p>
      </div>
      {runtime.environments.map((env) => (
        <section key={env.name} aria-labelledby={`env-${env.name}`} className="space-y-3">
          <h2 id={`env-${env.name}`} className="flex items-center gap-2 text-sm font-semibold text-zinc-900 dark:text-zinc-100">
            {env.title}
            {env.production ? <Badge tone="red">production</Badge> : null}
          </h2>
          {env.clusters.length ? (
            env.clusters.map((cluster) => <ClusterPanel key={cluster.cluster} cluster={cluster} now={now} />)
          ) : (
            <p className="text-[13px] text-zinc-500 dark:text-zinc-400">No cluster is configured for {env.title}.</p>
          )}
        </section>
      ))}
    </div>
  );
}
