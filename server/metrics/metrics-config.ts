import "server-only";
import { ConfigError } from "../shared/config";
import { resolveSecret, type MetricsConfig } from "../shared/config-file";
import { createMetrics, type Metrics, type MetricsOptions } from "./create-metrics";
import { PrometheusSource } from "./prometheus-source";
import { renderQuery, DEFAULT_METRIC_NAMES, type MetricNames, type PanelTemplate } from "./templates";
import type { Clock, MetricsSource } from "./types";

/**
 * Builds the metrics module from slipway.config.yaml's `metrics` section, for the composition root. Secrets are
 * resolved here, once, at start; templates are rendered once against a sample service so a typo fails at start.
 */

export function metricsSourcesFromConfig(
  config: MetricsConfig | undefined,
  environments: string[],
  env: Record<string, string | undefined> = process.env,
): Record<string, MetricsSource> {
  const sources: Record<string, MetricsSource> = {};
  (config?.sources ?? []).forEach((s, i) => {
    const where = `metrics.sources[${i}]`;
    if (!environments.includes(s.environment)) {
      throw new ConfigError(`${where}.environment: "${s.environment}" is not one of the environments (${environments.join(", ")})`);
    }
    if (sources[s.environment]) throw new ConfigError(`${where}: environment ${s.environment} already has a metrics source`);
    sources[s.environment] = new PrometheusSource({
      url: s.url,
      name: `Prometheus for ${s.environment}`,
      bearerToken: s.bearerToken ? resolveSecret(s.bearerToken, `${where}.bearerToken`, env) : undefined,
      basicAuth: s.basicAuth
        ? { username: s.basicAuth.username, password: resolveSecret(s.basicAuth.password, `${where}.basicAuth.password`, env) }
        : undefined,
      headers: s.headers,
      scrapeIntervalSeconds: s.scrapeIntervalSeconds,
    });
  });
  return sources;
}

/** Checks configured templates by rendering them: an unknown placeholder is a start-up error, not a broken panel. */
export function checkPanelTemplates(templates: PanelTemplate[], names: MetricNames): void {
  const sample = { namespace: "sample", workload: "sample", kind: "Deployment" as const };
  for (const t of templates) {
    for (const target of t.targets) {
      try {
        renderQuery(target.query, { service: sample, names, rateWindowSeconds: 60 });
      } catch (error) {
        throw new ConfigError(`metrics.panels ${t.id} (${target.legend}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export function metricsFromConfig(
  config: MetricsConfig | undefined,
  deps: { environments: string[]; clock?: Clock; env?: Record<string, string | undefined>; sources?: Record<string, MetricsSource> },
): Metrics {
  const names: MetricNames = { ...DEFAULT_METRIC_NAMES, ...Object.fromEntries(Object.entries(config?.names ?? {}).filter(([, v]) => v !== undefined)) };
  const templates = config?.panels as PanelTemplate[] | undefined;
  if (templates) checkPanelTemplates(templates, names);
  const options: MetricsOptions = {
    sources: deps.sources ?? metricsSourcesFromConfig(config, deps.environments, deps.env),
    names,
    ...(templates ? { templates } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    panelTimeoutMs: (config?.panelTimeoutSeconds ?? 10) * 1000,
    links: Object.fromEntries((config?.sources ?? []).filter((s) => s.link).map((s) => [s.environment, s.link!])),
  };
  return createMetrics(options);
}
