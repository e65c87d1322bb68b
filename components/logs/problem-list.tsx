import type { LogsProblem } from "@/server/logs/contract";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { AlertIcon } from "@/components/ui/icons";

/** Says how to configure a log store for an environment: the one thing to do when none is. */
export function NotConfigured({ environment }: { environment: string }) {
  return (
    <EmptyState
      icon={<AlertIcon size={18} />}
      title={`No log source is configured for ${environment}`}
      description={
        <div className="space-y-2 text-left">
          <p>
            Add an entry under <code className="font-mono">logs.sources</code> in slipway.config.yaml: the Elasticsearch or OpenSearch URL fluentd writes to,
            its flavour, the index pattern and the pod label that names a service. The README&apos;s Logs section shows every field.
          </p>
          <pre className="rounded bg-zinc-100 p-2 font-mono whitespace-pre-wrap [overflow-wrap:anywhere] text-[12px] text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">{`logs:
  sources:
    - environment: ${environment}
      url: https://elasticsearch.example.com:9200
      flavour: elasticsearch8   # or elasticsearch9, opensearch2
      auth: { apiKey: { env: SLIPWAY_ES_API_KEY } }
      indexPattern: logstash-*
      serviceLabel: backstage.io/kubernetes-id   # the default`}</pre>
          <p>A pod&apos;s own output, read from the cluster, is below.</p>
        </div>
      }
    />
  );
}

const titles: Partial<Record<LogsProblem["code"], string>> = {
  unreachable: "The log store cannot be reached",
  unavailable: "The log store failed",
  timeout: "The log store did not answer in time",
  unauthorized: "The log store refused Slipway's credentials",
  rate_limited: "The log store is overloaded",
  index_not_found: "The log store has no matching index",
  incompatible_server: "The log store is not the server the configuration names",
  invalid_response: "The log store sent an answer Slipway cannot read",
  expired_cursor: "This page of logs expired",
  partial: "Some lines may be missing",
  bad_query: "The log store refused the search",
  pod_logs_unavailable: "The pod's logs cannot be read",
};

/** Log store problems other than "not configured", each with what failed and why. */
export function ProblemList({ problems, environment, className }: { problems: LogsProblem[]; environment: string; className?: string }) {
  const shown = problems.filter((p) => p.code !== "not_configured");
  if (!shown.length) return null;
  return (
    <div className={cn("space-y-1.5", className)}>
      {shown.map((p, i) => (
        <div
          key={`${p.code}-${i}`}
          role={p.code === "partial" ? "status" : "alert"}
          className={cn(
            "rounded-md px-3 py-2 text-[13px]",
            p.code === "partial"
              ? "bg-amber-50 text-amber-900 dark:bg-amber-950/50 dark:text-amber-100"
              : "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-100",
          )}
        >
          <p className="font-semibold">
            {titles[p.code] ?? "Logs could not be read"} ({p.source || environment})
          </p>
          <p>{p.message}</p>
          {p.code !== "partial" ? (
            <p className="mt-0.5 text-[12px] opacity-90">Only the Logs tab is affected: metrics, runtime and deploys still work.</p>
          ) : null}
        </div>
      ))}
    </div>
  );
}
