import "server-only";

/** The metrics module's public surface: sources (Prometheus HTTP API, or the demo's), panels, alerts, rollout health. */

export type * from "./contract";
export type { Clock, MetricsService, MetricsSource, QueryOptions, QueryPurpose, QueryRange, WorkloadKind } from "./types";
export { createMetrics, type Metrics, type MetricsOptions, type ServicePanelsInput } from "./create-metrics";
export { metricsFromConfig, metricsSourcesFromConfig } from "./metrics-config";
export { PrometheusSource, type PrometheusSourceOptions } from "./prometheus-source";
export { CachedSource, type CacheOptions } from "./cached-source";
export { MetricsQueryError, isMetricsQueryError, toPanelError } from "./metrics-errors";
export { escapeLabelValue, equalMatcher, selector, isLabelName, isMetricName } from "./promql";
export { planSteps, MAX_POINTS_PER_SERIES, MAX_PROMETHEUS_POINTS, type StepPlan } from "./step";
export { DEFAULT_METRIC_NAMES, DEFAULT_PANEL_TEMPLATES, type MetricNames, type PanelTarget, type PanelTemplate } from "./templates";
export {
  METRICS_ANNOTATIONS,
  DEFAULT_ANNOTATION_LIMITS,
  annotationPanels,
  metricsAnnotationProblems,
  promqlProblem,
  type AnnotationLimits,
} from "./annotation-panels";
export type { RolloutHealthInput } from "./rollout-health";
export type { RolloutHealth, ServicePanels, ServiceAlerts, Panel, PanelError } from "./contract";
export { alertsQuerySchema, metricsQuerySchema } from "./queries";
