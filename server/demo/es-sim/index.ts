import "server-only";

/** Public surface of the Elasticsearch/OpenSearch API simulator (logs written as fluentd writes them). */
export { startEsSim } from "./simulator";
export type { EsSim } from "./simulator";
export type { EsFlavour } from "./flavours";
export { bulkBody, feedLines, fluentdDocument } from "./fluentd-feeder";
export type { FluentdRecord } from "./fluentd-feeder";
export { generateServiceLogs } from "./log-generator";
export type { LoggingPod } from "./log-generator";
