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
export { LogsError, isLogsError, toLogsError, toLogsProblem } from "./logs-errors";
export { detectLevel, levelFromText, levelFromValue } from "./level";
export { SIMPLE_QUERY_FLAGS, serviceFilters, searchBody, cleanQueryText, type LogFilters } from "./query-builder";
export { podLineToLogLine, type PodLogReader, type PodLogsInput } from "./pod-logs";
export { TailHub, type TailBatch, type TailSubscriber, type TailHubOptions } from "./tail-hub";
