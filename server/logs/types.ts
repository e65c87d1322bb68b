import "server-only";
import type { SearchResponse } from "./es-schemas";

export type Clock = { now(): number };

export type LogFlavour = "elasticsearch8" | "elasticsearch9" | "opensearch2";

/** Where fluentd (kubernetes_metadata filter, elasticsearch output) puts things; every path is a document field. */
export type LogFieldMapping = {
  timestamp: string;
  /** The line itself: `log` (docker json-file) or `message` (CRI); the only fields user text is matched against. */
  message: string[];
  namespace: string;
  pod: string;
  container: string;
  /** The field holding the pod label that names a service, as stored (de-dotted by fluentd by default). */
  serviceLabel: string;
  stream: string;
  host: string;
  /** The container's image as the metadata filter records it (`repo:tag`, or `repo@sha256:...` when pinned). */
  image: string;
  /** Structured loggers' level fields, merged to the top level by fluentd's JSON parser filter. */
  level: string[];
  /** Suffix of the exact-match sub-field dynamic mapping adds to strings (`.keyword`); "" when fields are keywords. */
  keywordSuffix: string;
};

/** Which catalogue service: both values come from the catalogue's workload mapping, never from a request. */
export type ServiceScope = { namespace: string; label: string };

/** One search, flavour-neutral: the body is already built by the query builder. */
export type SourceSearch = {
  /** Search through this point in time (no index in the path) instead of the configured index pattern. */
  pit?: { id: string; keepAlive: string } | undefined;
  body: Record<string, unknown>;
  signal?: AbortSignal | undefined;
};

/**
 * An Elasticsearch-API log store as Slipway uses it. Real implementation: ElasticsearchLogSource (one client per
 * flavour); tests pass it pointed at the es-sim, or a fake.
 */
export interface LogSource {
  /** Readable, for error messages: "staging (elasticsearch8)". */
  readonly name: string;
  readonly flavour: LogFlavour;
  readonly fields: LogFieldMapping;
  /** `_shard_doc` on Elasticsearch; OpenSearch 2.x has no such field, so `_id` (or `_doc`) breaks ties there. */
  readonly tieBreaker: "_shard_doc" | "_id" | "_doc";
  openPointInTime(keepAlive: string, signal?: AbortSignal): Promise<string>;
  closePointInTime(id: string): Promise<void>;
  /** A validated search response; failures throw LogsError. */
  search(request: SourceSearch): Promise<SearchResponse>;
}
