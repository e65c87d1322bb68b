import "server-only";

/** The metrics module's public surface: sources (Prometheus HTTP API, or the demo's), panels, alerts, rollout health. */

export type * from "./contract";
export type { Clock, MetricsService, MetricsSource, QueryOptions, QueryPurpose, QueryRange, WorkloadKind } from "./types";
export { createMetrics, type Metrics, type MetricsOptions, type ServicePanelsInput } from "./create-metrics";
export { metricsFromConfig } from "./metrics-config";
export { PrometheusSource, type PrometheusSourceOptions } from "./prometheus-source";
export { CachedSource, type CacheOptions } from "./cached-source";
export { MetricsQueryError, isMetricsQueryError } from "./metrics-errors";
export { escapeLabelValue, selector } from "./promql";
export { planSteps, MAX_PROMETHEUS_POINTS, type StepPlan } from "./step";
export { DEFAULT_METRIC_NAMES, DEFAULT_PANEL_TEMPLATES, type MetricNames, type PanelTarget, type PanelTemplate } from "./templates";
export { annotationPanels, metricsAnnotationProblems, promqlProblem, type AnnotationLimits } from "./annotation-panels";
export type { RolloutHealthInput } from "./rollout-health";
export type { RolloutHealth, ServicePanels, ServiceAlerts, Panel, PanelError } from "./contract";
export { alertsQuerySchema, metricsQuerySchema } from "./queries";
