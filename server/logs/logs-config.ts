import "server-only";
import { ConfigError } from "../shared/config";
import { resolveSecret, type LogsConfig } from "../shared/config-file";
import { createLogs, type Logs, type LogsOptions } from "./create-logs";
import { DEFAULT_FIELDS, ElasticsearchLogSource, type LogSourceAuth } from "./elasticsearch-source";
import type { LogFieldMapping, LogSource } from "./types";

/** The field holding a pod label, as fluentd stores it: de_dot (on by default) turns `a.b/c` into `a_b/c`. */
export function serviceLabelField(prefix: string, label: string, deDot: boolean): string {
  return `${prefix}.${deDot ? label.replace(/\./g, "_") : label}`;
}

export function logSourcesFromConfig(
  config: LogsConfig | undefined,
  environments: string[],
  env: Record<string, string | undefined> = process.env,
): Record<string, LogSource> {
  const sources: Record<string, LogSource> = {};
  (config?.sources ?? []).forEach((s, i) => {
    const where = `logs.sources[${i}]`;
    if (!environments.includes(s.environment)) {
      throw new ConfigError(`${where}.environment: "${s.environment}" is not one of the environments (${environments.join(", ")})`);
    }
    if (sources[s.environment]) throw new ConfigError(`${where}: environment ${s.environment} already has a log source`);
    let auth: LogSourceAuth = null;
    if (s.auth && "apiKey" in s.auth) auth = { apiKey: resolveSecret(s.auth.apiKey, `${where}.auth.apiKey`, env) };
    if (s.auth && "bearer" in s.auth) auth = { bearer: resolveSecret(s.auth.bearer, `${where}.auth.bearer`, env) };
    if (s.auth && "basic" in s.auth) {
      auth = { basic: { username: s.auth.basic.username, password: resolveSecret(s.auth.basic.password, `${where}.auth.basic.password`, env) } };
    }
    const { labelsPrefix, ...fieldOverrides } = s.fields;
    const fields: LogFieldMapping = {
      ...DEFAULT_FIELDS,
      ...Object.fromEntries(Object.entries(fieldOverrides).filter(([, v]) => v !== undefined)),
      serviceLabel: serviceLabelField(labelsPrefix ?? "kubernetes.labels", s.serviceLabel, s.deDotLabels),
    };
    sources[s.environment] = new ElasticsearchLogSource({
      environment: s.environment,
      flavour: s.flavour,
      url: s.url,
      auth,
      indexPattern: s.indexPattern,
      fields,
      timeoutMs: s.timeoutSeconds * 1000,
    });
  });
  return sources;
}

export function logsFromConfig(
  config: LogsConfig | undefined,
  deps: { environments: string[]; env?: Record<string, string | undefined> } & Omit<LogsOptions, "sources"> & { sources?: Record<string, LogSource> },
): Logs {
  const { environments, env, sources, ...rest } = deps;
  return createLogs({ ...rest, sources: sources ?? logSourcesFromConfig(config, environments, env) });
}
