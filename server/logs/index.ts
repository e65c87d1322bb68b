import "server-only";

/** The logs module's public surface: log sources (Elasticsearch 8/9, OpenSearch 2), service logs, context, export, live tail, pod logs. */

export type * from "./contract";
export type { Clock, LogFieldMapping, LogFlavour, LogSource, ServiceScope, SourceSearch } from "./types";
export {
  createLogs,
  type ErrorRateInput,
  type LineContextInput,
  type Logs,
  type LogsOptions,
  type ServiceLogsInput,
  type TailInput,
  type TailSubscription,
} from "./create-logs";
export { ElasticsearchLogSource, DEFAULT_FIELDS, type ElasticsearchLogSourceOptions, type LogSourceAuth } from "./elasticsearch-source";
export { logsFromConfig, logSourcesFromConfig } from "./logs-config";
export { isLogsError, toLogsError } from "./logs-errors";
export { detectLevel, levelFromText } from "./level";
export { SIMPLE_QUERY_FLAGS, serviceFilters, searchBody, type LogFilters } from "./query-builder";
export { type PodLogReader, type PodLogsInput } from "./pod-logs";
export { type TailBatch, type TailSubscriber, type TailHubOptions } from "./tail-hub";
