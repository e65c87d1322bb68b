import "server-only";
import type { PanelUnit } from "./contract";
import { MetricsQueryError } from "./metrics-errors";
import { duration, escapeLabelValue, isLabelName, isMetricName, isNamespaceName, isWorkloadName } from "./promql";
import type { MetricsService, WorkloadKind } from "./types";

/**
 * Panel templates: PromQL with `{{placeholders}}` that only Slipway fills, with escaped label values and validated
 * names. The defaults work on a standard cluster (kube-state-metrics, cAdvisor, application histograms, linkerd
 * where present), scoping every series to the service's pods through kube-state-metrics' owner chain
 * (pod -> ReplicaSet -> Deployment or Rollout), as kubernetes-mixin does.
 */

export type PanelTarget = { legend: string; query: string };

export type PanelTemplate = {
  id: string;
  title: string;
  unit: PanelUnit;
  targets: PanelTarget[];
  /** Only for these workload kinds (replicas are read differently for Argo Rollouts). */
  kinds?: WorkloadKind[];
  /** Left out of the tab when it has no series (linkerd's panels on services without the proxy). */
  optional?: boolean;
};

/** Application metric and label names differ between instrumentation libraries: platform teams set theirs. */
export type MetricNames = {
  requestsTotal: string;
  requestDurationBucket: string;
  /** The histogram's unit; panels show milliseconds. */
  requestDurationUnit: "seconds" | "milliseconds";
  statusLabel: string;
  /** RE2 matched against the status label, e.g. `5..`. */
  errorStatusPattern: string;
};

export const DEFAULT_METRIC_NAMES: MetricNames = {
  requestsTotal: "http_requests_total",
  requestDurationBucket: "http_request_duration_seconds_bucket",
  requestDurationUnit: "seconds",
  statusLabel: "code",
  errorStatusPattern: "5..",
};

/** The service's pods, labelled with their ReplicaSet (a ReplicaSet is a version: canary and stable split by it). */
const PODS =
  "max by (namespace, pod, replicaset) (" +
  'label_replace(kube_pod_owner{namespace="{{namespace}}",owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)")' +
  " * on (namespace, replicaset) group_left () max by (namespace, replicaset) " +
  '(kube_replicaset_owner{namespace="{{namespace}}",owner_kind="{{owner_kind}}",owner_name="{{workload}}"}))';

const OF_PODS = "* on (namespace, pod) group_left () {{pods}}";
const REQUESTS = 'rate({{requests_total}}{namespace="{{namespace}}"}[{{rate_interval}}])';
const ERRORS = 'rate({{requests_total}}{namespace="{{namespace}}",{{status_label}}=~"{{error_status}}"}[{{rate_interval}}])';
const LATENCY = (q: string) =>
  `{{latency_scale}} * histogram_quantile(${q}, sum by (le) (rate({{duration_bucket}}{namespace="{{namespace}}"}[{{rate_interval}}]) ${OF_PODS}))`;
const LINKERD = 'namespace="{{namespace}}",direction="inbound"';
const LINKERD_LATENCY = (q: string) => `histogram_quantile(${q}, sum by (le) (rate(response_latency_ms_bucket{${LINKERD}}[{{rate_interval}}]) ${OF_PODS}))`;
const RESOURCE = (metric: string, resource: string) => `sum(${metric}{namespace="{{namespace}}",resource="${resource}"} ${OF_PODS})`;
const OF_WORKLOAD_RS =
  "* on (namespace, replicaset) group_left () max by (namespace, replicaset) " +
  '(kube_replicaset_owner{namespace="{{namespace}}",owner_kind="Rollout",owner_name="{{workload}}"})';

export const DEFAULT_PANEL_TEMPLATES: PanelTemplate[] = [
  {
    id: "request-rate",
    title: "Requests",
    unit: "req/s",
    targets: [{ legend: "requests", query: `sum by (replicaset) (${REQUESTS} * on (namespace, pod) group_left (replicaset) {{pods}})` }],
  },
  {
    id: "error-ratio",
    title: "Error ratio",
    unit: "%",
    // `or 0 * total`: no error series at all means 0 %, not a gap.
    targets: [{ legend: "errors", query: `100 * (sum(${ERRORS} ${OF_PODS}) or 0 * sum(${REQUESTS} ${OF_PODS})) / sum(${REQUESTS} ${OF_PODS})` }],
  },
  {
    id: "latency",
    title: "Latency",
    unit: "ms",
    targets: [
      { legend: "p50", query: LATENCY("0.5") },
      { legend: "p95", query: LATENCY("0.95") },
      { legend: "p99", query: LATENCY("0.99") },
    ],
  },
  {
    id: "linkerd-success-rate",
    title: "Success rate (linkerd)",
    unit: "%",
    optional: true,
    targets: [
      {
        legend: "success",
        query:
          `100 * sum(rate(response_total{${LINKERD},classification="success"}[{{rate_interval}}]) ${OF_PODS})` +
          ` / sum(rate(response_total{${LINKERD}}[{{rate_interval}}]) ${OF_PODS})`,
      },
    ],
  },
  {
    id: "linkerd-request-rate",
    title: "Requests (linkerd)",
    unit: "req/s",
    optional: true,
    targets: [{ legend: "requests", query: `sum(rate(request_total{${LINKERD}}[{{rate_interval}}]) ${OF_PODS})` }],
  },
  {
    id: "linkerd-latency",
    title: "Latency (linkerd)",
    unit: "ms",
    optional: true,
    targets: [
      { legend: "p50", query: LINKERD_LATENCY("0.5") },
      { legend: "p95", query: LINKERD_LATENCY("0.95") },
      { legend: "p99", query: LINKERD_LATENCY("0.99") },
    ],
  },
  {
    id: "cpu",
    title: "CPU",
    unit: "cores",
    targets: [
      {
        legend: "used",
        query: `sum(rate(container_cpu_usage_seconds_total{namespace="{{namespace}}",container!="",image!=""}[{{rate_interval}}]) ${OF_PODS})`,
      },
      { legend: "requested", query: RESOURCE("kube_pod_container_resource_requests", "cpu") },
      { legend: "limit", query: RESOURCE("kube_pod_container_resource_limits", "cpu") },
    ],
  },
  {
    id: "memory",
    title: "Memory",
    unit: "bytes",
    targets: [
      { legend: "working set", query: `sum(container_memory_working_set_bytes{namespace="{{namespace}}",container!="",image!=""} ${OF_PODS})` },
      { legend: "requested", query: RESOURCE("kube_pod_container_resource_requests", "memory") },
      { legend: "limit", query: RESOURCE("kube_pod_container_resource_limits", "memory") },
    ],
  },
  {
    id: "replicas",
    title: "Replicas",
    unit: "count",
    kinds: ["Deployment"],
    targets: [
      { legend: "available", query: 'sum(kube_deployment_status_replicas_available{namespace="{{namespace}}",deployment="{{workload}}"})' },
      { legend: "desired", query: 'sum(kube_deployment_spec_replicas{namespace="{{namespace}}",deployment="{{workload}}"})' },
    ],
  },
  {
    id: "replicas",
    title: "Replicas",
    unit: "count",
    kinds: ["Rollout"],
    // kube-state-metrics has no Rollout metrics: count the Rollout's ReplicaSets (stable and canary).
    targets: [
      { legend: "available", query: `sum(kube_replicaset_status_ready_replicas{namespace="{{namespace}}"} ${OF_WORKLOAD_RS})` },
      { legend: "desired", query: `sum(kube_replicaset_spec_replicas{namespace="{{namespace}}"} ${OF_WORKLOAD_RS})` },
    ],
  },
  {
    id: "restarts",
    title: "Container restarts",
    unit: "count",
    targets: [
      { legend: "restarts", query: `sum(increase(kube_pod_container_status_restarts_total{namespace="{{namespace}}"}[{{rate_interval}}]) ${OF_PODS})` },
    ],
  },
];

/** Instant queries over `{{window}}` for a rollout's before/after comparison. */
export const HEALTH_TEMPLATES = {
  "error-ratio": (() => {
    const errors = 'increase({{requests_total}}{namespace="{{namespace}}",{{status_label}}=~"{{error_status}}"}[{{window}}])';
    const total = 'increase({{requests_total}}{namespace="{{namespace}}"}[{{window}}])';
    return `100 * (sum(${errors} ${OF_PODS}) or 0 * sum(${total} ${OF_PODS})) / sum(${total} ${OF_PODS})`;
  })(),
  "latency-p95": `{{latency_scale}} * histogram_quantile(0.95, sum by (le) (increase({{duration_bucket}}{namespace="{{namespace}}"}[{{window}}]) ${OF_PODS}))`,
  restarts: `sum(increase(kube_pod_container_status_restarts_total{namespace="{{namespace}}"}[{{window}}]) ${OF_PODS})`,
} as const;

export type RenderContext = { service: MetricsService; names: MetricNames; rateWindowSeconds: number; windowSeconds?: number };

export const PLACEHOLDERS = [
  "namespace",
  "workload",
  "owner_kind",
  "pods",
  "rate_interval",
  "window",
  "requests_total",
  "duration_bucket",
  "status_label",
  "error_status",
  "latency_scale",
] as const;

/** Throws unless the service's names are what Kubernetes allows: nothing else reaches a query. */
export function assertServiceNames(service: MetricsService): void {
  if (!isNamespaceName(service.namespace)) throw new MetricsQueryError("invalid_query", `"${service.namespace.slice(0, 80)}" is not a namespace name`, 422);
  if (!isWorkloadName(service.workload)) throw new MetricsQueryError("invalid_query", `"${service.workload.slice(0, 80)}" is not a workload name`, 422);
  if (service.kind !== "Deployment" && service.kind !== "Rollout") {
    throw new MetricsQueryError("invalid_query", `"${String(service.kind)}" is not Deployment or Rollout`, 422);
  }
}

export function assertMetricNames(names: MetricNames): void {
  for (const key of ["requestsTotal", "requestDurationBucket"] as const) {
    if (!isMetricName(names[key])) throw new MetricsQueryError("invalid_query", `metrics.names.${key} "${names[key]}" is not a Prometheus metric name`, 422);
  }
  if (!isLabelName(names.statusLabel)) {
    throw new MetricsQueryError("invalid_query", `metrics.names.statusLabel "${names.statusLabel}" is not a label name`, 422);
  }
}

/** The query with every placeholder filled; unknown placeholders are an error, never left for PromQL to read. */
export function renderQuery(query: string, context: RenderContext): string {
  const { service, names } = context;
  const values: Record<string, string> = {
    namespace: escapeLabelValue(service.namespace),
    workload: escapeLabelValue(service.workload),
    owner_kind: service.kind,
    rate_interval: duration(context.rateWindowSeconds),
    requests_total: names.requestsTotal,
    duration_bucket: names.requestDurationBucket,
    status_label: names.statusLabel,
    error_status: escapeLabelValue(names.errorStatusPattern),
    latency_scale: names.requestDurationUnit === "seconds" ? "1000" : "1",
  };
  if (context.windowSeconds !== undefined) values.window = duration(context.windowSeconds);
  const fill = (text: string): string =>
    text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, key: string) => {
      if (key === "pods") return fill(PODS);
      const value = values[key];
      if (value === undefined) throw new MetricsQueryError("invalid_query", `The query uses {{${key}}}, which is not one of ${PLACEHOLDERS.join(", ")}`, 422);
      return value;
    });
  return fill(query);
}
