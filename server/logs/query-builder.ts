import "server-only";
import { ValidationError } from "../shared/errors";
import { MAX_QUERY_TEXT_LENGTH, MAX_RANGE_DAYS, type FilterableLevel } from "./contract";
import type { SortValue } from "./es-schemas";
import { LEVEL_SPELLINGS } from "./level";
import type { LogFieldMapping, LogSource, ServiceScope } from "./types";

/**
 * Builds the only query DSL Slipway sends. Every clause sits in `bool.filter`; the namespace and service label
 * values come from the catalogue (ServiceScope), never from a request; user text reaches the store only as the
 * `query` of a `simple_query_string` on the message fields with limited flags, which has no field syntax
 * (`kubernetes.namespace_name:other` is two words), no wildcards or regexes (PREFIX, FUZZY, SLOP are off) and
 * never fails to parse.
 *
 * Level filter: a `terms` on the structured level fields (the spellings loggers write) OR, for documents without
 * such a field, the level word among the message's tokens. The second half over-matches ("failed with error" at
 * info), so Slipway also drops lines whose detected level differs before answering: the store narrows, detection
 * decides.
 */

export const SIMPLE_QUERY_FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|ESCAPE|WHITESPACE";

export type LogFilters = {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, inclusive. */
  to: number;
  q?: string | undefined;
  pod?: string | undefined;
  container?: string | undefined;
  levels?: readonly FilterableLevel[] | undefined;
  /** Only lines from containers running one of these images (a rollout's new pods); values from the release registry. */
  images?: readonly string[] | undefined;
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An image reference: registry/path[:tag][@digest]. */
const IMAGE = /^[a-z0-9][a-z0-9._\/:-]*(@sha256:[a-f0-9]{64})?$/i;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** Label values: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric (Kubernetes' own rule). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Control characters (NUL included) become spaces: they only ever break the store's tokenizer or the log view. */
export function cleanQueryText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > MAX_QUERY_TEXT_LENGTH) throw new ValidationError(`The search text is longer than ${MAX_QUERY_TEXT_LENGTH} characters`);
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").trim();
  return cleaned === "" ? undefined : cleaned;
}

export function assertScope(scope: ServiceScope): void {
  if (!DNS_LABEL.test(scope.namespace) || scope.namespace.length > 63) throw new ValidationError(`"${scope.namespace}" is not a namespace name`);
  if (scope.label === "" || scope.label.length > 63 || !LABEL_VALUE.test(scope.label)) throw new ValidationError(`"${scope.label}" is not a label value`);
}

export function assertFilters(filters: LogFilters): void {
  if (!Number.isFinite(filters.from) || !Number.isFinite(filters.to)) throw new ValidationError("from and to must be times");
  if (filters.from > filters.to) throw new ValidationError("from must not be after to");
  if (filters.to - filters.from > MAX_RANGE_DAYS * 86_400_000) throw new ValidationError(`A log search covers at most ${MAX_RANGE_DAYS} days`);
  if (filters.pod !== undefined && (filters.pod.length > 253 || !DNS_SUBDOMAIN.test(filters.pod))) {
    throw new ValidationError(`"${filters.pod}" is not a pod name`);
  }
  if (filters.container !== undefined && (filters.container.length > 63 || !DNS_LABEL.test(filters.container))) {
    throw new ValidationError(`"${filters.container}" is not a container name`);
  }
  if (filters.images && (filters.images.length > 4 || filters.images.some((i) => i.length === 0 || i.length > 512 || !IMAGE.test(i)))) {
    throw new ValidationError("images must be at most 4 image references");
  }
}

const exact = (fields: LogFieldMapping, field: string) => `${field}${fields.keywordSuffix}`;

function levelClause(fields: LogFieldMapping, levels: readonly FilterableLevel[]): Record<string, unknown> {
  const spellings = [...new Set(levels.flatMap((l) => LEVEL_SPELLINGS[l]))];
  const words = [...new Set(spellings.map((s) => s.toLowerCase()))];
  return {
    bool: {
      should: [
        ...fields.level.map((f) => ({ terms: { [exact(fields, f)]: spellings } })),
        {
          bool: {
            must_not: fields.level.map((f) => ({ exists: { field: f } })),
            filter: [{ simple_query_string: { query: words.join(" "), fields: fields.message, flags: "OR", default_operator: "or" } }],
          },
        },
      ],
      minimum_should_match: 1,
    },
  };
}

/** The filter clauses of a service's log search; `range` on the timestamp as epoch ms. */
export function serviceFilters(fields: LogFieldMapping, scope: ServiceScope, filters: LogFilters): Array<Record<string, unknown>> {
  assertScope(scope);
  assertFilters(filters);
  const clauses: Array<Record<string, unknown>> = [
    { term: { [exact(fields, fields.namespace)]: scope.namespace } },
    { term: { [exact(fields, fields.serviceLabel)]: scope.label } },
    { range: { [fields.timestamp]: { gte: Math.floor(filters.from), lte: Math.ceil(filters.to), format: "epoch_millis" } } },
  ];
  if (filters.pod) clauses.push({ term: { [exact(fields, fields.pod)]: filters.pod } });
  if (filters.container) clauses.push({ term: { [exact(fields, fields.container)]: filters.container } });
  if (filters.images && filters.images.length > 0) clauses.push({ terms: { [exact(fields, fields.image)]: [...filters.images] } });
  if (filters.levels && filters.levels.length > 0) clauses.push(levelClause(fields, filters.levels));
  const text = cleanQueryText(filters.q);
  if (text) {
    clauses.push({
      simple_query_string: {
        query: text,
        fields: fields.message,
        flags: SIMPLE_QUERY_FLAGS,
        default_operator: "and",
        analyze_wildcard: false,
        auto_generate_synonyms_phrase_query: false,
        lenient: true,
      },
    });
  }
  return clauses;
}

/** Heavy metadata fluentd adds to every document that no view shows. */
export const SOURCE_EXCLUDES = ["kubernetes.annotations", "kubernetes.namespace_labels", "kubernetes.master_url", "kubernetes.namespace_id", "docker"];

export type SearchShape = {
  filters: Array<Record<string, unknown>>;
  order: "asc" | "desc";
  size: number;
  searchAfter?: SortValue[] | undefined;
};

/** A search body sorted by time with the source's tie-breaker, for point-in-time paging with `search_after`. */
export function searchBody(source: Pick<LogSource, "fields" | "tieBreaker">, shape: SearchShape, withTieBreaker: boolean): Record<string, unknown> {
  const sort: Array<Record<string, unknown>> = [{ [source.fields.timestamp]: { order: shape.order } }];
  if (withTieBreaker) sort.push({ [source.tieBreaker]: { order: shape.order } });
  return {
    size: shape.size,
    track_total_hits: false,
    query: { bool: { filter: shape.filters } },
    sort,
    _source: { excludes: SOURCE_EXCLUDES },
    ...(shape.searchAfter ? { search_after: shape.searchAfter } : {}),
  };
}
