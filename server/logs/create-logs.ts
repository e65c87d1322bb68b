import "server-only";
import { hasStatus, NotFoundError, ValidationError } from "../shared/errors";
import {
  DEFAULT_PAGE_LINES,
  MAX_EXPORT_LINES,
  MAX_PAGE_LINES,
  type FilterableLevel,
  type LineContext,
  type LogLine,
  type LogPage,
  type ErrorRate,
  type LogsProblem,
  type PodLogs,
  MAX_ERROR_RATE_BUCKETS,
} from "./contract";
import { decodeCursor, encodeCursor, queryKey, type PageCursor } from "./cursor";
import { histogramSchema } from "./es-schemas";
import type { SearchHit, SearchResponse } from "./es-schemas";
import { isLogsError, toLogsProblem } from "./logs-errors";
import { hitToLine, parseLineId } from "./map-hit";
import { readPodLogs, type PodLogReader, type PodLogsInput } from "./pod-logs";
import { assertScope, cleanQueryText, searchBody, serviceFilters, type LogFilters } from "./query-builder";
import { TailHub, type TailBatch, type TailHubOptions, type TimedLine } from "./tail-hub";
import type { Clock, LogSource, ServiceScope } from "./types";

export type LogsOptions = {
  /** One log store per environment name; an environment without one says how to configure it. */
  sources: Record<string, LogSource>;
  /** Cluster gateways by cluster name, for logs read straight from the pods. */
  clusters?: (cluster: string) => PodLogReader | undefined;
  clock?: Clock;
  tail?: Omit<TailHubOptions, "clock"> & { maxLinesPerPoll?: number };
  /** How long the store keeps a page's point in time between two page requests. */
  pitKeepAlive?: string;
  exportCap?: number;
};

export type ServiceLogsInput = {
  service: ServiceScope;
  environment: string;
  /** Epoch ms. */
  from: number;
  to: number;
  q?: string | undefined;
  pod?: string | undefined;
  container?: string | undefined;
  level?: FilterableLevel | FilterableLevel[] | undefined;
  /** Only containers running these images: a rollout's new pods (the caller takes them from the release, never from input). */
  images?: string[] | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
  signal?: AbortSignal | undefined;
};

export type LineContextInput = {
  service: ServiceScope;
  environment: string;
  id: string;
  /** Lines on each side (default 10, at most 100). */
  size?: number | undefined;
  signal?: AbortSignal | undefined;
};

export type TailInput = Omit<ServiceLogsInput, "from" | "to" | "cursor" | "limit" | "signal"> & {
  /** Resume after a pause: the position of the last batch received (epoch ms). */
  since?: number | undefined;
};

export type TailSubscription = { unsubscribe(): void; key: string };

export type ErrorRateInput = Pick<ServiceLogsInput, "service" | "environment" | "from" | "to" | "pod" | "container" | "images" | "signal">;

export type Logs = {
  environments(): string[];
  serviceLogs(input: ServiceLogsInput): Promise<LogPage>;
  lineContext(input: LineContextInput): Promise<LineContext>;
  /** The current view as NDJSON, one LogLine per line, newest first, streamed page by page; see MAX_EXPORT_LINES. */
  exportNdjson(input: Omit<ServiceLogsInput, "cursor" | "limit">): AsyncIterable<string>;
  tail(input: TailInput, subscriber: { onLines(batch: TailBatch): void; onError(problem: LogsProblem): void }): TailSubscription;
  /** Error lines per minute over a range, counted by the store (a date_histogram), for the Metrics tab's charts. */
  errorRate(input: ErrorRateInput): Promise<ErrorRate>;
  podLogs(input: PodLogsInput): Promise<PodLogs>;
  /** The last lines of the previous (crashed) container: what explains a crash loop beside a failed rollout. */
  previousContainerLogs(input: Omit<PodLogsInput, "previous">): Promise<PodLogs>;
  tailStats(): { topics: number; subscribers: number; polls: number };
  stop(): void;
};

function notConfigured(environment: string): LogsProblem {
  return {
    code: "not_configured",
    message: `No log store is configured for ${environment}: add it under logs.sources in slipway.config.yaml`,
    source: environment,
  };
}

function levelsOf(level: ServiceLogsInput["level"]): FilterableLevel[] | undefined {
  if (level === undefined) return undefined;
  return [...new Set(Array.isArray(level) ? level : [level])].sort();
}

function filtersOf(input: Pick<ServiceLogsInput, "from" | "to" | "q" | "pod" | "container" | "level" | "images">): LogFilters {
  const images = input.images && input.images.length > 0 ? [...new Set(input.images)].sort() : undefined;
  return { from: input.from, to: input.to, q: cleanQueryText(input.q), pod: input.pod, container: input.container, levels: levelsOf(input.level), images };
}

/** The store only narrows by level (see query-builder.ts); detection decides what is shown. */
function keepLevel(levels: readonly FilterableLevel[] | undefined) {
  return (line: LogLine) => !levels || levels.length === 0 || (levels as readonly string[]).includes(line.level);
}

function partialProblem(response: SearchResponse, source: LogSource): LogsProblem[] {
  const shards = response._shards;
  if (!shards || shards.failed === 0) return [];
  const reason = shards.failures?.[0]?.reason;
  return [
    {
      code: "partial",
      message: `${shards.failed} of ${shards.total} shards failed (${reason?.type ?? "unknown"}): some lines may be missing`,
      source: source.name,
    },
  ];
}

function timestampOf(hit: SearchHit): number {
  const first = hit.sort[0];
  return typeof first === "number" ? first : Date.parse(String(first));
}

export function createLogs(options: LogsOptions): Logs {
  const clock = options.clock ?? Date;
  const keepAlive = options.pitKeepAlive ?? "5m";
  const exportCap = Math.min(options.exportCap ?? MAX_EXPORT_LINES, MAX_EXPORT_LINES);
  const maxLinesPerPoll = options.tail?.maxLinesPerPoll ?? 500;
  const hub = new TailHub({ ...options.tail, clock });
  const sources = new Map(Object.entries(options.sources));

  /** One page: through the cursor's point in time, or a new one; an expired PIT is replaced once. */
  async function page(source: LogSource, scope: ServiceScope, filters: LogFilters, key: string, cursor: PageCursor | null, size: number, signal?: AbortSignal) {
    const body = searchBody(source, { filters: serviceFilters(source.fields, scope, filters), order: "desc", size, searchAfter: cursor?.after }, true);
    let pit = cursor?.pit ?? (await source.openPointInTime(keepAlive, signal));
    let response: SearchResponse;
    try {
      response = await source.search({ pit: { id: pit, keepAlive }, body, signal });
    } catch (error) {
      if (!(isLogsError(error) && error.logsCode === "expired_cursor" && cursor)) throw error;
      pit = await source.openPointInTime(keepAlive, signal);
      response = await source.search({ pit: { id: pit, keepAlive }, body, signal });
    }
    const hits = response.hits.hits;
    const last = hits.at(-1);
    const full = hits.length === size && last !== undefined && last.sort.length > 0;
    const nextPit = response.pit_id ?? pit;
    // The last page frees its point in time without making the reader wait for it (the store expires it anyway).
    if (!full) void source.closePointInTime(nextPit);
    return { response, hits, next: full ? { pit: nextPit, after: last.sort, key } : null };
  }

  function sourceFor(environment: string): LogSource | undefined {
    return sources.get(environment);
  }

  function keyOf(environment: string, service: ServiceScope, filters: LogFilters): string {
    const { from, to, q, pod, container, levels, images } = filters;
    return queryKey([environment, service.namespace, service.label, from, to, q ?? "", pod ?? "", container ?? "", levels ?? [], images ?? []]);
  }

  async function serviceLogs(input: ServiceLogsInput): Promise<LogPage> {
    assertScope(input.service);
    const filters = filtersOf(input);
    const limit = input.limit ?? DEFAULT_PAGE_LINES;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LINES) throw new ValidationError(`limit must be a whole number from 1 to ${MAX_PAGE_LINES}`);
    const source = sourceFor(input.environment);
    const key = keyOf(input.environment, input.service, filters);
    const cursor = input.cursor ? decodeCursor(input.cursor, key) : null;
    if (!source) return { lines: [], nextCursor: null, errors: [notConfigured(input.environment)] };
    try {
      const result = await page(source, input.service, filters, key, cursor, limit, input.signal);
      return {
        lines: result.hits.map((h) => hitToLine(h, source.fields)).filter(keepLevel(filters.levels)),
        nextCursor: result.next ? encodeCursor(result.next) : null,
        errors: partialProblem(result.response, source),
      };
    } catch (error) {
      if (!isLogsError(error) && hasStatus(error, 422)) throw error;
      return { lines: [], nextCursor: null, errors: [toLogsProblem(error, source.name)] };
    }
  }

  async function lineContext(input: LineContextInput): Promise<LineContext> {
    assertScope(input.service);
    const size = input.size ?? 10;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new ValidationError("size must be a whole number from 1 to 100");
    const ref = parseLineId(input.id);
    if (!ref) throw new ValidationError("The line id is not one Slipway issued");
    const source = sourceFor(input.environment);
    if (!source) return { lines: [], anchorId: input.id, errors: [notConfigured(input.environment)] };
    const f = source.fields;
    const exact = (field: string) => `${field}${f.keywordSuffix}`;
    const scope = [{ term: { [exact(f.namespace)]: input.service.namespace } }, { term: { [exact(f.serviceLabel)]: input.service.label } }];
    let pit: string | null = null;
    try {
      pit = await source.openPointInTime(keepAlive, input.signal);
      const at = { id: pit, keepAlive };
      // The anchor is looked up inside the service's scope: an id from another service finds nothing.
      const anchorFilters = [...scope, { ids: { values: [ref.id] } }, { term: { _index: ref.index } }];
      const anchorBody = searchBody(source, { filters: anchorFilters, order: "desc", size: 1 }, true);
      const anchor = (await source.search({ pit: at, body: anchorBody, signal: input.signal })).hits.hits[0];
      if (!anchor) throw new NotFoundError("That log line does not exist for this service (or it has been deleted)");
      const anchorLine = hitToLine(anchor, f);
      const around = timestampOf(anchor);
      const samePod = [
        ...scope,
        { term: { [exact(f.pod)]: anchorLine.pod } },
        { term: { [exact(f.container)]: anchorLine.container } },
        // A day either side bounds the work on a pod that went quiet; Kibana widens step by step instead.
        { range: { [f.timestamp]: { gte: around - 86_400_000, lte: around + 86_400_000, format: "epoch_millis" } } },
      ];
      const side = (order: "asc" | "desc") =>
        source.search({ pit: at, body: searchBody(source, { filters: samePod, order, size, searchAfter: anchor.sort }, true), signal: input.signal });
      const [before, after] = await Promise.all([side("desc"), side("asc")]);
      const lines = [...before.hits.hits.slice().reverse(), anchor, ...after.hits.hits].map((h) => hitToLine(h, f));
      return { lines, anchorId: anchorLine.id, errors: [...partialProblem(before, source), ...partialProblem(after, source)] };
    } catch (error) {
      if (!isLogsError(error) && hasStatus(error, 404)) throw error;
      return { lines: [], anchorId: input.id, errors: [toLogsProblem(error, source.name)] };
    } finally {
      if (pit) void source.closePointInTime(pit);
    }
  }

  async function* exportNdjson(input: Omit<ServiceLogsInput, "cursor" | "limit">): AsyncGenerator<string> {
    assertScope(input.service);
    const filters = filtersOf(input);
    const source = sourceFor(input.environment);
    if (!source) {
      yield `${JSON.stringify({ _slipway: { error: notConfigured(input.environment) } })}\n`;
      return;
    }
    const key = keyOf(input.environment, input.service, filters);
    let cursor: PageCursor | null = null;
    let sent = 0;
    const keep = keepLevel(filters.levels);
    try {
      while (sent < exportCap) {
        const size = Math.min(MAX_PAGE_LINES, exportCap - sent);
        const result = await page(source, input.service, filters, key, cursor, size, input.signal);
        const lines = result.hits.map((h) => hitToLine(h, source.fields)).filter(keep);
        sent += result.hits.length;
        if (lines.length > 0) yield lines.map((l) => `${JSON.stringify(l)}\n`).join("");
        if (!result.next) return;
        cursor = result.next;
      }
      // A trailer, so a reader can tell a capped download from a complete one.
      if (cursor?.pit) void source.closePointInTime(cursor.pit);
      yield `${JSON.stringify({ _slipway: { truncated: true, cap: exportCap } })}\n`;
    } catch (error) {
      if (cursor?.pit) void source.closePointInTime(cursor.pit);
      yield `${JSON.stringify({ _slipway: { error: toLogsProblem(error, source.name) } })}\n`;
    }
  }

  function tail(input: TailInput, subscriber: { onLines(batch: TailBatch): void; onError(problem: LogsProblem): void }): TailSubscription {
    assertScope(input.service);
    const now = clock.now();
    const filters = filtersOf({ ...input, from: now, to: now });
    const source = sourceFor(input.environment);
    const { namespace, label } = input.service;
    const key = queryKey([
      "tail",
      input.environment,
      namespace,
      label,
      filters.q ?? "",
      filters.pod ?? "",
      filters.container ?? "",
      filters.levels ?? [],
      filters.images ?? [],
    ]);
    if (!source) {
      queueMicrotask(() => subscriber.onError(notConfigured(input.environment)));
      return { unsubscribe: () => undefined, key };
    }
    const keep = keepLevel(filters.levels);
    const fetchSince = async (since: number, until: number, size: number, signal: AbortSignal) => {
      const window = { ...filters, from: since, to: until };
      const body = searchBody(source, { filters: serviceFilters(source.fields, input.service, window), order: "desc", size }, false);
      const response = await source.search({ body, signal });
      const hits = response.hits.hits;
      const lines: TimedLine[] = hits
        .map((h) => ({ line: hitToLine(h, source.fields), at: timestampOf(h) }))
        .filter((l) => keep(l.line))
        .reverse();
      return { lines, truncated: hits.length === size };
    };
    // Lines may be stamped a little ahead of Slipway's clock (another node's): look a minute past now.
    const poll = (since: number, signal: AbortSignal) => fetchSince(since, clock.now() + 60_000, maxLinesPerPoll, signal);

    let active = true;
    let unsubscribe: () => void = () => undefined;
    const caughtUp = new Set<string>();
    const forward = (batch: TailBatch) => {
      if (!active) return;
      const lines = caughtUp.size ? batch.lines.filter((l) => !caughtUp.has(l.id)) : batch.lines;
      if (lines.length > 0 || batch.truncated) subscriber.onLines({ ...batch, lines });
    };
    if (input.since !== undefined && Number.isFinite(input.since)) {
      // Resuming after a pause: this viewer's own catch-up from its position, then the shared poll.
      const since = Math.max(input.since, now - 86_400_000);
      const controller = new AbortController();
      void fetchSince(since, now + 60_000, MAX_PAGE_LINES, controller.signal).then(
        ({ lines, truncated }) => {
          if (!active) return;
          const fresh = lines.filter((l) => l.at >= since);
          for (const l of fresh) caughtUp.add(l.line.id);
          if (fresh.length > 0) subscriber.onLines({ lines: fresh.map((l) => l.line), position: Math.max(since, ...fresh.map((l) => l.at)), truncated });
          unsubscribe = hub.subscribe(key, source.name, poll, { onLines: forward, onError: (p) => active && subscriber.onError(p) });
        },
        (error: unknown) => {
          if (!active) return;
          subscriber.onError(toLogsProblem(error, source.name));
          unsubscribe = hub.subscribe(key, source.name, poll, { onLines: forward, onError: (p) => active && subscriber.onError(p) });
        },
      );
      return {
        key,
        unsubscribe: () => {
          active = false;
          controller.abort();
          unsubscribe();
        },
      };
    }
    unsubscribe = hub.subscribe(key, source.name, poll, { onLines: forward, onError: (p) => active && subscriber.onError(p) });
    return {
      key,
      unsubscribe: () => {
        active = false;
        unsubscribe();
      },
    };
  }

  async function errorRate(input: ErrorRateInput): Promise<ErrorRate> {
    assertScope(input.service);
    const filters: LogFilters = { ...filtersOf(input), levels: ["error", "fatal"] };
    const minutes = Math.max(1, Math.ceil((input.to - input.from) / 60_000 / MAX_ERROR_RATE_BUCKETS));
    const intervalMs = minutes * 60_000;
    const source = sourceFor(input.environment);
    if (!source) return { intervalMs, points: [], errors: [notConfigured(input.environment)] };
    // Buckets start on whole intervals since the epoch, as Elasticsearch aligns fixed_interval buckets.
    const start = Math.floor(input.from / intervalMs) * intervalMs;
    const body = {
      size: 0,
      track_total_hits: false,
      query: { bool: { filter: serviceFilters(source.fields, input.service, filters) } },
      aggs: {
        per_interval: {
          date_histogram: {
            field: source.fields.timestamp,
            fixed_interval: `${minutes}m`,
            min_doc_count: 0,
            extended_bounds: { min: start, max: Math.floor(input.to / intervalMs) * intervalMs },
          },
        },
      },
    };
    try {
      const response = await source.search({ body, signal: input.signal });
      const parsed = histogramSchema.safeParse(response.aggregations?.per_interval);
      if (!parsed.success)
        return {
          intervalMs,
          points: [],
          errors: [{ code: "invalid_response", message: `${source.name} answered the error count with an unexpected shape`, source: source.name }],
        };
      const points: Array<[number, number]> = parsed.data.buckets.map((b) => [b.key, Math.round((b.doc_count / minutes) * 100) / 100]);
      return { intervalMs, points, errors: partialProblem(response, source) };
    } catch (error) {
      if (!isLogsError(error) && hasStatus(error, 422)) throw error;
      return { intervalMs, points: [], errors: [toLogsProblem(error, source.name)] };
    }
  }

  return {
    environments: () => [...sources.keys()],
    errorRate,
    serviceLogs,
    lineContext,
    exportNdjson,
    tail,
    podLogs: (input) => readPodLogs(options.clusters?.(input.cluster), input),
    previousContainerLogs: (input) => readPodLogs(options.clusters?.(input.cluster), { ...input, previous: true, tailLines: input.tailLines ?? 50 }),
    tailStats: () => hub.stats(),
    stop: () => hub.stop(),
  };
}
