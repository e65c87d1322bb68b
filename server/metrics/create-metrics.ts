import "server-only";
import { ValidationError } from "../shared/errors";
import type { MetricsAlert, Panel, PanelError, RolloutHealth, ServiceAlerts, ServicePanels, Series } from "./contract";
import { annotationAlertNames, annotationPanels, DEFAULT_ANNOTATION_LIMITS, type AnnotationLimits } from "./annotation-panels";
import { CachedSource, type CacheOptions } from "./cached-source";
import { isMetricsQueryError, toPanelError } from "./metrics-errors";
import { measureRolloutHealth, type RolloutHealthInput } from "./rollout-health";
import { planSteps } from "./step";
import {
  assertMetricNames,
  assertServiceNames,
  DEFAULT_METRIC_NAMES,
  DEFAULT_PANEL_TEMPLATES,
  renderQuery,
  type MetricNames,
  type PanelTemplate,
} from "./templates";
import type { Clock, MetricsService, MetricsSource } from "./types";

export type MetricsOptions = {
  /** One source per environment name; an environment without one shows how to configure it. */
  sources: Record<string, MetricsSource>;
  templates?: PanelTemplate[];
  names?: Partial<MetricNames>;
  clock?: Clock;
  /** Each panel's own time limit. */
  panelTimeoutMs?: number;
  annotationLimits?: Partial<AnnotationLimits>;
  cache?: Omit<CacheOptions, "clock"> | false;
  /**
   * Per environment, a URL to open a panel's query in Prometheus or Grafana: `{{query}}`, `{{from}}` and `{{to}}`
   * (epoch ms) and `{{step}}` (seconds) are filled in, URL-encoded.
   */
  links?: Record<string, string>;
};

export type ServicePanelsInput = {
  service: MetricsService;
  environment: string;
  /** Epoch ms. */
  from: number;
  to: number;
  widthPx: number;
  signal?: AbortSignal;
};

export type Metrics = {
  environments(): string[];
  servicePanels(input: ServicePanelsInput): Promise<ServicePanels>;
  serviceAlerts(input: { service: MetricsService; environment: string; signal?: AbortSignal }): Promise<ServiceAlerts>;
  rolloutHealth(input: RolloutHealthInput): Promise<RolloutHealth>;
};

const MAX_RANGE_MS = 31 * 86_400_000;

function notConfigured(environment: string): PanelError {
  return {
    code: "not_configured",
    message: `No metrics source is configured for ${environment}: add it under metrics.sources in slipway.config.yaml (any Prometheus HTTP API URL)`,
  };
}

/** Workload-identifying labels an alert may carry (kube-state-metrics, kubernetes-mixin, common app labels). */
const WORKLOAD_LABELS = ["deployment", "rollout", "workload", "service", "app", "job", "container"];

function alertConcernsService(alert: MetricsAlert, service: MetricsService, names: "all" | Set<string>): boolean {
  if (names !== "all" && names.has(alert.name)) return true;
  if (alert.labels.namespace !== service.namespace) return false;
  if (names === "all") return true;
  // A Deployment's or Rollout's pod is <workload>-<pod-template-hash>-<5 chars>: a bare prefix would also match
  // the pods of card-api-worker for card-api.
  const pod = alert.labels.pod;
  if (pod?.startsWith(`${service.workload}-`) && /^[a-z0-9]{1,10}-[a-z0-9]{5}$/.test(pod.slice(service.workload.length + 1))) return true;
  return WORKLOAD_LABELS.some((l) => alert.labels[l] === service.workload);
}

export function createMetrics(options: MetricsOptions): Metrics {
  const clock = options.clock ?? Date;
  const names: MetricNames = { ...DEFAULT_METRIC_NAMES, ...options.names };
  assertMetricNames(names);
  const templates = options.templates ?? DEFAULT_PANEL_TEMPLATES;
  const limits: AnnotationLimits = { ...DEFAULT_ANNOTATION_LIMITS, ...options.annotationLimits };
  const panelTimeoutMs = options.panelTimeoutMs ?? 10_000;
  const sources = new Map(
    Object.entries(options.sources).map(([env, source]) => [env, options.cache === false ? source : new CachedSource(source, { ...options.cache, clock })]),
  );

  function checkedService(service: MetricsService): void {
    try {
      assertServiceNames(service);
    } catch (error) {
      throw new ValidationError(isMetricsQueryError(error) ? `This service's workload cannot be charted: ${error.message}` : String(error));
    }
  }

  async function drawPanel(
    template: PanelTemplate,
    origin: Panel["origin"],
    context: {
      source: MetricsSource;
      service: MetricsService;
      range: { start: number; end: number; step: number };
      rateWindow: number;
      signal?: AbortSignal;
      link?: (query: string) => string;
    },
  ): Promise<Panel | null> {
    const annotation = origin === "annotation";
    const timeoutMs = annotation ? Math.min(limits.timeoutMs, panelTimeoutMs) : panelTimeoutMs;
    const base = { id: template.id, title: template.title, unit: template.unit, origin };
    try {
      const perTarget = await Promise.all(
        template.targets.map(async (target) => {
          const query = renderQuery(target.query, { service: context.service, names, rateWindowSeconds: context.rateWindow });
          const series = await context.source.queryRange(query, context.range, {
            timeoutMs,
            signal: context.signal,
            purpose: { panelId: template.id, target: target.legend, service: context.service },
            ...(annotation ? { maxSeries: limits.maxSeries } : {}),
          });
          return series.map((s): Series => ({ labels: { legend: target.legend, ...s.labels }, points: s.points }));
        }),
      );
      const series = perTarget.flat();
      if (template.optional && series.length === 0) return null;
      return {
        ...base,
        series,
        error: null,
        link: context.link?.(renderQuery(template.targets[0]!.query, { service: context.service, names, rateWindowSeconds: context.rateWindow })) ?? null,
      };
    } catch (error) {
      return { ...base, series: [], error: toPanelError(error) };
    }
  }

  return {
    environments: () => [...sources.keys()],

    async servicePanels(input) {
      checkedService(input.service);
      if (!(input.to > input.from) || input.to - input.from > MAX_RANGE_MS) throw new ValidationError("Choose a time range between 1 minute and 31 days");
      const source = sources.get(input.environment);
      const plan = planSteps({ from: input.from, to: input.to, widthPx: input.widthPx, scrapeIntervalSeconds: source?.scrapeIntervalSeconds });
      const range = { start: plan.start, end: plan.end, step: plan.step };
      const answer = { step: plan.step, from: plan.start * 1000, to: plan.end * 1000 };
      if (!source) return { panels: [], ...answer, errors: [notConfigured(input.environment)] };

      const own = templates.filter((t) => !t.kinds || t.kinds.includes(input.service.kind));
      const extra = annotationPanels(input.service.annotations, limits);
      const linkTemplate = options.links?.[input.environment];
      const link = linkTemplate
        ? (query: string) =>
            linkTemplate
              .replaceAll("{{query}}", encodeURIComponent(query))
              .replaceAll("{{from}}", String(range.start * 1000))
              .replaceAll("{{to}}", String(range.end * 1000))
              .replaceAll("{{step}}", String(range.step))
        : undefined;
      const context = { source, service: input.service, range, rateWindow: plan.rateWindow, signal: input.signal, ...(link ? { link } : {}) };
      const drawn = await Promise.all([
        ...own.map((t) => drawPanel(t, "template", context)),
        ...extra.templates.map((t) => drawPanel(t, "annotation", context)),
      ]);
      const errors: PanelError[] = extra.problems.map((p) => ({ code: "invalid_query", message: `${p.annotation}: ${p.message}` }));
      return { panels: drawn.filter((p): p is Panel => p !== null), ...answer, errors };
    },

    async serviceAlerts(input) {
      checkedService(input.service);
      const source = sources.get(input.environment);
      if (!source) return { alerts: [], errors: [notConfigured(input.environment)] };
      try {
        const alerts = await source.alerts({ timeoutMs: panelTimeoutMs, signal: input.signal });
        const wanted = annotationAlertNames(input.service.annotations);
        const mine = alerts.filter((a) => alertConcernsService(a, input.service, wanted));
        // Firing first, then the longest active.
        mine.sort((a, b) => (a.state === b.state ? (a.activeAt ?? "").localeCompare(b.activeAt ?? "") : a.state === "firing" ? -1 : 1));
        return { alerts: mine, errors: [] };
      } catch (error) {
        return { alerts: [], errors: [toPanelError(error)] };
      }
    },

    async rolloutHealth(input) {
      checkedService(input.service);
      const source = sources.get(input.environment);
      if (!source) {
        const empty = { from: input.startedAt, to: input.startedAt };
        return { verdict: "unknown", summary: "no metrics source", measures: [], before: empty, after: empty, errors: [notConfigured(input.environment)] };
      }
      return measureRolloutHealth(input, { source, names, clock, timeoutMs: panelTimeoutMs });
    },
  };
}
