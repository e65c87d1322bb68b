import "server-only";
import { Client as Es8Client } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { Client as Es9Client } from "elasticsearch9";
import type { z } from "zod";
import { esPitSchema, openSearchPitSchema, searchResponseSchema, type SearchResponse } from "./es-schemas";
import { measured, telemetry } from "../shared/telemetry";
import { LogsError, toLogsError } from "./logs-errors";
import type { LogFieldMapping, LogFlavour, LogSource, SourceSearch } from "./types";

/**
 * One Elasticsearch-API log store, through the client that server speaks to:
 * - Elasticsearch 8: @elastic/elasticsearch 8.x (sends `compatible-with=8`; the 9.x client's `compatible-with=9`
 *   is refused by 8.x servers).
 * - Elasticsearch 9: the 9.x client (npm alias `elasticsearch9`).
 * - OpenSearch 2: @opensearch-project/opensearch (Elastic's clients refuse non-Elastic servers); its point in time
 *   is `POST /<index>/_search/point_in_time` and it has no `_shard_doc`, so `_id` breaks ties.
 */

export const DEFAULT_FIELDS: LogFieldMapping = {
  timestamp: "@timestamp",
  message: ["log", "message"],
  namespace: "kubernetes.namespace_name",
  pod: "kubernetes.pod_name",
  container: "kubernetes.container_name",
  serviceLabel: "kubernetes.labels.backstage_io/kubernetes-id",
  stream: "stream",
  host: "kubernetes.host",
  image: "kubernetes.container_image",
  level: ["level", "severity"],
  keywordSuffix: ".keyword",
};

export type LogSourceAuth = { apiKey: string } | { basic: { username: string; password: string } } | { bearer: string } | null;

export type ElasticsearchLogSourceOptions = {
  /** Readable name for messages, e.g. "staging". */
  environment: string;
  flavour: LogFlavour;
  url: string;
  auth?: LogSourceAuth;
  /** From config only, e.g. `logstash-*`; comma-separated patterns allowed. */
  indexPattern: string;
  fields?: Partial<LogFieldMapping>;
  timeoutMs?: number;
  /** Refuse responses bigger than this (default 32 MiB): a page is capped at 1,000 lines anyway. */
  maxResponseBytes?: number;
};

/** What differs between the three clients, behind one shape. */
type Wire = {
  openPit(index: string, keepAlive: string, signal?: AbortSignal): Promise<unknown>;
  closePit(id: string): Promise<void>;
  search(index: string | undefined, body: Record<string, unknown>, signal?: AbortSignal): Promise<unknown>;
};

const INDEX_PATTERN = /^[a-z0-9*][a-z0-9._*:+-]*(,[a-z0-9*][a-z0-9._*:+-]*)*$/;

function esWire(client: Es8Client | Es9Client): Wire {
  // The two majors share this call shape; their request types differ only in fields Slipway does not send.
  const c = client as unknown as Es8Client;
  return {
    openPit: (index, keepAlive, signal) => c.openPointInTime({ index, keep_alive: keepAlive }, { signal }),
    closePit: async (id) => {
      await c.closePointInTime({ id });
    },
    search: (index, body, signal) => c.search({ ...(index ? { index } : {}), ...body }, { signal }),
  };
}

function openSearchWire(client: OpenSearchClient): Wire {
  return {
    openPit: async (index, keepAlive, signal) => (await abortable(client.createPit({ index: index.split(","), keep_alive: keepAlive }), signal)).body,
    closePit: async (id) => {
      await client.deletePit({ body: { pit_id: [id] } });
    },
    search: async (index, body, signal) => (await abortable(client.search({ ...(index ? { index } : {}), body } as never), signal)).body,
  };
}

/** Every call to the store, counted and timed for Slipway's own /metrics by source, operation and outcome. */
function measuredWire(wire: Wire, backend: "elasticsearch" | "opensearch", source: string): Wire {
  const t = telemetry();
  const timed = <T>(operation: string, call: () => Promise<T>) =>
    measured(
      call,
      (outcome, seconds) => {
        t.backendRequests.inc({ backend, source, operation, outcome });
        t.backendDuration.observe({ backend, source, operation }, seconds);
      },
      (error) => toLogsError(error, source).logsCode,
    );
  return {
    openPit: (index, keepAlive, signal) => timed("open_pit", () => wire.openPit(index, keepAlive, signal)),
    closePit: (id) => timed("close_pit", () => wire.closePit(id)),
    search: (index, body, signal) => timed("search", () => wire.search(index, body, signal)),
  };
}

/** The OpenSearch client takes no signal: its request promise has an `abort()` instead. */
function abortable<T>(request: Promise<T> & { abort?: () => void }, signal: AbortSignal | undefined): Promise<T> {
  if (signal) {
    if (signal.aborted) request.abort?.();
    else signal.addEventListener("abort", () => request.abort?.(), { once: true });
  }
  return request;
}

export class ElasticsearchLogSource implements LogSource {
  readonly name: string;
  readonly flavour: LogFlavour;
  readonly fields: LogFieldMapping;
  private tie: "_shard_doc" | "_id" | "_doc";
  private readonly indexPattern: string;
  private readonly wire: Wire;
  private readonly close: () => Promise<void>;

  constructor(options: ElasticsearchLogSourceOptions) {
    if (!INDEX_PATTERN.test(options.indexPattern) || options.indexPattern.length > 255) {
      throw new LogsError("bad_query", `"${options.indexPattern}" is not an index pattern (lowercase names, * wildcards, commas)`);
    }
    this.name = `${options.environment} (${options.flavour})`;
    this.flavour = options.flavour;
    this.fields = { ...DEFAULT_FIELDS, ...options.fields };
    this.tie = options.flavour === "opensearch2" ? "_id" : "_shard_doc";
    this.indexPattern = options.indexPattern;
    const timeout = options.timeoutMs ?? 10_000;
    const auth = options.auth ?? null;
    if (options.flavour === "opensearch2") {
      // The OpenSearch client has no API-key or bearer option: both are plain Authorization headers.
      const headers: Record<string, string> = {};
      if (auth && "apiKey" in auth) headers.authorization = `ApiKey ${auth.apiKey}`;
      if (auth && "bearer" in auth) headers.authorization = `Bearer ${auth.bearer}`;
      const client = new OpenSearchClient({
        node: options.url,
        requestTimeout: timeout,
        maxRetries: 1,
        headers,
        ...(auth && "basic" in auth ? { auth: auth.basic } : {}),
      });
      this.wire = measuredWire(openSearchWire(client), "opensearch", options.environment);
      this.close = () => client.close();
    } else {
      const common = {
        node: options.url,
        requestTimeout: timeout,
        maxRetries: 1,
        maxResponseSize: options.maxResponseBytes ?? 32 * 1024 * 1024,
        ...(auth && "apiKey" in auth ? { auth: { apiKey: auth.apiKey } } : {}),
        ...(auth && "bearer" in auth ? { auth: { bearer: auth.bearer } } : {}),
        ...(auth && "basic" in auth ? { auth: auth.basic } : {}),
      };
      const client = options.flavour === "elasticsearch9" ? new Es9Client(common) : new Es8Client(common);
      this.wire = measuredWire(esWire(client), "elasticsearch", options.environment);
      this.close = () => client.close();
    }
  }

  /**
   * `_shard_doc` on Elasticsearch. OpenSearch 2.x has none (3.3 added it); `_id` is unique and sortable there by
   * default, and where an operator disabled `indices.id_field_data.enabled` the source falls back to `_doc`, which
   * is stable within a point in time and ties only on equal milliseconds in two shards.
   */
  get tieBreaker(): "_shard_doc" | "_id" | "_doc" {
    return this.tie;
  }

  private validated<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = `${issue?.path.join(".") || "root"}: ${issue?.message}`;
      throw new LogsError("invalid_response", `${this.name} answered ${what} with an unexpected shape (${where})`, this.name);
    }
    return parsed.data;
  }

  async openPointInTime(keepAlive: string, signal?: AbortSignal): Promise<string> {
    try {
      const raw = await this.wire.openPit(this.indexPattern, keepAlive, signal);
      return this.flavour === "opensearch2"
        ? this.validated(openSearchPitSchema, raw, "a point in time").pit_id
        : this.validated(esPitSchema, raw, "a point in time").id;
    } catch (error) {
      throw toLogsError(error, this.name);
    }
  }

  async closePointInTime(id: string): Promise<void> {
    try {
      await this.wire.closePit(id);
    } catch {
      // An expired or unknown point in time needs no closing; the store drops it after keep_alive anyway.
    }
  }

  async search(request: SourceSearch): Promise<SearchResponse> {
    let raw: unknown;
    const body = request.pit ? { ...request.body, pit: { id: request.pit.id, keep_alive: request.pit.keepAlive } } : request.body;
    try {
      raw = await this.wire.search(request.pit ? undefined : this.indexPattern, body, request.signal);
    } catch (error) {
      const mapped = toLogsError(error, this.name);
      if (!(this.tie === "_id" && /Fielddata access on the _id field is disallowed/i.test(mapped.message))) throw mapped;
      this.tie = "_doc";
      const sort = Array.isArray(body.sort) ? body.sort.map((s: Record<string, unknown>) => ("_id" in s ? { _doc: s._id } : s)) : body.sort;
      try {
        raw = await this.wire.search(request.pit ? undefined : this.indexPattern, { ...body, sort }, request.signal);
      } catch (retryError) {
        throw toLogsError(retryError, this.name);
      }
    }
    const response = this.validated(searchResponseSchema, raw, "a search");
    const shards = response._shards;
    if (shards && shards.failed > 0 && shards.failed >= shards.total) {
      const reason = shards.failures?.[0]?.reason;
      throw new LogsError("unavailable", `${this.name}: every shard failed (${reason?.type ?? "unknown"}: ${reason?.reason ?? ""})`, this.name);
    }
    return response;
  }

  /** Closes the client's connections (tests, shutdown). */
  async stop(): Promise<void> {
    await this.close();
  }
}
