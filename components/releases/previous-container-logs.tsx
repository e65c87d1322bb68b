"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { fetchPodLogs } from "@/components/logs/logs-api";

/**
 * Beside a failed rollout's reason: the last lines the crashed container wrote before it died (the previous
 * container of the first failing pod, read from the Kubernetes API), which usually name the cause.
 */
export function PreviousContainerLogs({ service, environment, pod }: { service: string; environment: string; pod: string }) {
  const logs = useQuery({
    queryKey: ["previous-container", service, environment, pod],
    // Nothing to add when the lines cannot be read: the failure reason beside it stands on its own.
    queryFn: ({ signal }) => fetchPodLogs(service, pod, { environment, previous: true, tailLines: 20 }, signal).catch(() => null),
    staleTime: 60_000,
  });
  const lines = logs.data?.lines ?? [];
  if (!lines.length) return null;
  return (
    <section aria-label={`Last lines of ${pod}'s previous container`} className="mt-3">
      <h3 className="text-[12px] font-medium text-red-900 dark:text-red-100">
        What <span className="font-mono">{pod}</span> wrote before it stopped
      </h3>
      <pre
        tabIndex={0}
        className="mt-1 max-h-56 overflow-auto rounded-md bg-zinc-950 px-3 py-2 font-mono text-[12px] leading-5 whitespace-pre-wrap text-zinc-100"
      >
        {lines.map((l) => l.message).join("\n")}
      </pre>
      <Link
        href={`/services/${encodeURIComponent(service)}/logs?${new URLSearchParams({ environment, source: "pods", pod, previous: "true" })}`}
        className="mt-1 inline-block text-[12px] text-red-900 underline dark:text-red-100"
      >
        More of this pod&apos;s output
      </Link>
    </section>
  );
}

/** The pod a failure names: the first warning event about a pod (BackOff, Failed). */
export function failingPod(events: Array<{ object?: string }>): string | null {
  const pod = events.map((e) => e.object ?? "").find((o) => o.startsWith("Pod/"));
  return pod ? pod.slice(4) : null;
}
