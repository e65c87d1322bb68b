import { z } from "zod";

/** What the browser may import about metrics: the shapes of panels, alerts and rollout health, never PromQL. */

export const PANEL_UNITS = ["req/s", "%", "ms", "cores", "bytes", "count"] as const;
export type PanelUnit = (typeof PANEL_UNITS)[number];

/** Why a panel or an alert list could not be drawn, in words a person can act on. */
export const PANEL_ERROR_CODES = [
  "bad_data",
  "execution",
  "timeout",
  "unavailable",
  "unreachable",
  "unauthorized",
  "invalid_response",
  "too_large",
  "invalid_query",
  "not_configured",
] as const;
export type PanelErrorCode = (typeof PANEL_ERROR_CODES)[number];

export const panelErrorSchema = z.object({ code: z.enum(PANEL_ERROR_CODES), message: z.string() });
export type PanelError = z.infer<typeof panelErrorSchema>;

/** A point is [epoch milliseconds, value]; null where Prometheus answered NaN or ±Inf (JSON cannot carry them). */
export const seriesSchema = z.object({
  labels: z.record(z.string(), z.string()),
  points: z.array(z.tuple([z.number(), z.number().nullable()])),
});
export type Series = z.infer<typeof seriesSchema>;

export const panelSchema = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.enum(PANEL_UNITS),
  /** Where it came from: Slipway's templates, or an annotation on the service written by catalogue editors. */
  origin: z.enum(["template", "annotation"]),
  series: z.array(seriesSchema),
  error: panelErrorSchema.nullable(),
  /** "Open in Prometheus / Grafana": the environment's configured explore link with this panel's query and range. */
  link: z.string().nullable().optional(),
});
export type Panel = z.infer<typeof panelSchema>;

export const servicePanelsSchema = z.object({
  panels: z.array(panelSchema),
  /** Seconds between points, the same for every panel of the tab. */
  step: z.number(),
  /** The aligned range actually queried, epoch milliseconds. */
  from: z.number(),
  to: z.number(),
  /** Failures that concern the whole tab (no source for the environment), besides each panel's own error. */
  errors: z.array(panelErrorSchema),
});
export type ServicePanels = z.infer<typeof servicePanelsSchema>;

export const metricsAlertSchema = z.object({
  name: z.string(),
  state: z.enum(["firing", "pending"]),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  activeAt: z.string().nullable(),
  value: z.string().nullable(),
});
export type MetricsAlert = z.infer<typeof metricsAlertSchema>;

export const serviceAlertsSchema = z.object({ alerts: z.array(metricsAlertSchema), errors: z.array(panelErrorSchema) });
export type ServiceAlerts = z.infer<typeof serviceAlertsSchema>;

export const healthMeasureSchema = z.object({
  id: z.enum(["error-ratio", "latency-p95", "restarts"]),
  label: z.string(),
  unit: z.enum(PANEL_UNITS),
  before: z.number().nullable(),
  after: z.number().nullable(),
  /** "error ratio 0.2% -> 4.1%". */
  text: z.string(),
  change: z.enum(["better", "unchanged", "worse", "unknown"]),
});
export type HealthMeasure = z.infer<typeof healthMeasureSchema>;

export const rolloutHealthSchema = z.object({
  verdict: z.enum(["healthy", "degraded", "unknown"]),
  /** One line for the Deploys history: "error ratio 0.2% -> 4.1%, p95 120 ms -> 180 ms, restarts 0 -> 14". */
  summary: z.string(),
  measures: z.array(healthMeasureSchema),
  before: z.object({ from: z.number(), to: z.number() }),
  after: z.object({ from: z.number(), to: z.number() }),
  errors: z.array(panelErrorSchema),
});
export type RolloutHealth = z.infer<typeof rolloutHealthSchema>;
