import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { z } from "zod";
import { executeBulk, parseBulkBody } from "./bulk";
import { parseTimeValue } from "./dates";
import {
  EsApiError,
  illegalArgument,
  indexNotFound,
  isEsApiError,
  parsingException,
  searchContextMissing,
  validationFailed,
  type EsErrorCause,
} from "./errors";
import { checkCompatibility, clusterInfo, FLAVOURS, type EsFlavour } from "./flavours";
import { mappingBody } from "./mapping";
import { executeCount, executeSearch, parseSearchBody, type SearchTarget } from "./search";
import type { DocumentStore, IndexState, PointInTime } from "./store";

/** The Elasticsearch REST API over plain HTTP: routing, headers, authentication, failure modes, encoding. */

export interface RequestFailure {
  status: 429 | 500 | 502 | 503 | 504;
  /** Only requests whose path equals or ends with one of these (or matches the RegExp); default every request. */
  paths?: Array<string | RegExp>;
  methods?: string[];
  /** How many requests fail before the failure clears itself; default until `setFailure(null)`. */
  times?: number;
  /** "bulk-items": `_bulk` answers 200 with every item rejected (429 or 5xx per item), as an overloaded write pool does. */
  scope?: "request" | "bulk-items";
}

export interface Credentials {
  /** username -> password for `Authorization: Basic`. */
  users?: Record<string, string>;
  /** Encoded API keys (base64 of `id:api_key`) for `Authorization: ApiKey`. */
  apiKeys?: string[];
  bearerTokens?: string[];
}

export interface ApiCore {
  store: DocumentStore;
  flavour: EsFlavour;
  nodeName: string;
  clusterName: string;
  clusterUuid: string;
  credentials: Credentials | undefined;
  now(): number;
  delayFor(method: string, path: string): number;
  takeFailure(method: string, path: string): RequestFailure | undefined;
  /** Marks the indices searched (waking search-idle shards: a pending refresh happens before the search). */
  beforeSearch(indices: IndexState[]): void;
  refreshNow(indices: Iterable<IndexState>): void;
  waitForRefresh(indices: Iterable<IndexState>): Promise<void>;
  onRequest(method: string, path: string): void;
}

const MAX_BODY = 100 * 1024 * 1024;
const MAX_KEEP_ALIVE_MS = 86_400_000;

const COMMON_PARAMS = ["pretty", "human", "error_trace", "filter_path", "source", "source_content_type"];
const SEARCH_PARAMS = [
  "size",
  "from",
  "sort",
  "_source",
  "_source_includes",
  "_source_excludes",
  "track_total_hits",
  "track_scores",
  "timeout",
  "rest_total_hits_as_int",
  "ignore_unavailable",
  "allow_no_indices",
  "expand_wildcards",
  "typed_keys",
  "search_type",
  "request_cache",
  "batched_reduce_size",
  "ccs_minimize_roundtrips",
  "pre_filter_shard_size",
  "max_concurrent_shard_requests",
  "allow_partial_search_results",
  "preference",
  "routing",
  "seq_no_primary_term",
  "version",
  "ignore_throttled",
  "include_named_queries_score",
  "terminate_after",
  "q",
];
const WRITE_PARAMS = [
  "refresh",
  "routing",
  "timeout",
  "wait_for_active_shards",
  "pipeline",
  "require_alias",
  "require_data_stream",
  "op_type",
  "version",
  "version_type",
  "if_seq_no",
  "if_primary_term",
  "_source",
  "_source_includes",
  "_source_excludes",
  "list_executed_pipelines",
  "include_source_on_error",
];

class Request {
  readonly params: URLSearchParams;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly segments: string[],
    readonly body: string,
    readonly headers: IncomingMessage["headers"],
    url: URL,
  ) {
    this.params = url.searchParams;
  }

  allowParams(...lists: string[][]): void {
    const allowed = new Set([...COMMON_PARAMS, ...lists.flat()]);
    for (const key of this.params.keys()) {
      if (!allowed.has(key)) throw illegalArgument(`request [${this.path}] contains unrecognized parameter: [${key}]`);
    }
  }

  flag(name: string, fallback: boolean): boolean {
    const v = this.params.get(name);
    if (v === null) return fallback;
    if (v === "" || v === "true") return true;
    if (v === "false") return false;
    throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
  }

  intParam(name: string): number | undefined {
    const v = this.params.get(name);
    if (v === null) return undefined;
    if (!/^-?\d+$/.test(v)) throw illegalArgument(`Failed to parse int parameter [${name}] with value [${v}]`);
    return Number(v);
  }

  json(): unknown {
    // ES also takes the body from the `source` parameter (with source_content_type), for clients that cannot send GET bodies.
    const text = this.body.trim() !== "" ? this.body : (this.params.get("source") ?? "");
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      throw parsingException(`Unexpected character or end of input: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

function noHandler(req: Request): EsApiError {
  return new EsApiError(400, `no handler found for uri [${req.path}] and method [${req.method}]`);
}

function methodNotAllowed(req: Request, allowed: string[]): EsApiError {
  return new EsApiError(405, `Incorrect HTTP method for uri [${req.path}] and method [${req.method}], allowed: [${allowed.join(", ")}]`);
}

function expect(req: Request, allowed: string[]): void {
  if (!allowed.includes(req.method)) throw methodNotAllowed(req, allowed);
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** Index expressions (`a,b`, `logstash-*`, `-excluded`, `_all`) to indices, with ES's ignore_unavailable/allow_no_indices. */
function resolveIndices(store: DocumentStore, expression: string | undefined, ignoreUnavailable: boolean, allowNoIndices: boolean): IndexState[] {
  const all = [...store.indices.values()].sort((a, b) => a.name.localeCompare(b.name));
  const visible = all.filter((i) => !i.name.startsWith("."));
  if (expression === undefined || expression === "" || expression === "_all" || expression === "*") {
    if (visible.length === 0 && !allowNoIndices) throw indexNotFound(expression || "_all");
    return visible;
  }
  const chosen = new Map<string, IndexState>();
  let sawWildcard = false;
  for (const part of expression.split(",")) {
    if (part.startsWith("-") && sawWildcard) {
      const re = globToRegExp(part.slice(1));
      for (const name of [...chosen.keys()]) if (re.test(name)) chosen.delete(name);
      continue;
    }
    if (part.includes("*")) {
      sawWildcard = true;
      const re = globToRegExp(part);
      const matched = (part.startsWith(".") ? all : visible).filter((i) => re.test(i.name));
      if (matched.length === 0 && !allowNoIndices) throw indexNotFound(part);
      for (const i of matched) chosen.set(i.name, i);
      continue;
    }
    const index = store.indices.get(part);
    if (index) chosen.set(index.name, index);
    else if (!ignoreUnavailable) throw indexNotFound(part);
  }
  const result = [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (result.length === 0 && !allowNoIndices) throw indexNotFound(expression);
  return result;
}

function keepAliveOf(value: unknown, setting = "keep_alive"): number {
  const ms = parseTimeValue(value, setting);
  if (ms > MAX_KEEP_ALIVE_MS) {
    throw illegalArgument(
      `Keep alive for request (${String(value)}) is too large. It must be less than (1d). ` +
        "This limit can be set by changing the [search.max_keep_alive] cluster level setting.",
    );
  }
  return ms;
}

const ClosePitBody = z.object({ id: z.string().min(1) });
const DeleteOsPitBody = z.object({ pit_id: z.union([z.string(), z.array(z.string())]) });

export class EsHttpApi {
  constructor(private readonly core: ApiCore) {}

  private get es(): boolean {
    return this.core.flavour !== "opensearch2";
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://es-sim");
    let versionEcho: number | undefined;
    try {
      const raw = await readBody(req);
      const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase();
      const body = (encoding === "gzip" ? gunzipSync(raw) : encoding === "deflate" ? inflateSync(raw) : raw).toString("utf8");
      const segments = url.pathname
        .split("/")
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      const request = new Request(method, url.pathname, segments, body, req.headers, url);
      this.core.onRequest(method, url.pathname);
      const delay = this.core.delayFor(method, url.pathname);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.es) {
        versionEcho = checkCompatibility(this.core.flavour, req.headers.accept, req.headers["content-type"], body.length > 0);
      }
      if (body.length > 0) this.checkContentType(req.headers["content-type"]);
      this.authenticate(request);
      const failure = this.core.takeFailure(method, url.pathname);
      if (failure && failure.scope !== "bulk-items") throw injectedError(failure.status);
      const reply = await this.route(request, startedAt, failure);
      this.send(res, request, reply, versionEcho);
    } catch (error) {
      const e = isEsApiError(error) ? error : new EsApiError(500, { type: "exception", reason: error instanceof Error ? error.message : String(error) });
      if (e.status === 502 || e.status === 504) {
        res.writeHead(e.status, { "Content-Type": "text/html" });
        res.end(`<html><body><h1>${e.status} ${e.status === 502 ? "Bad Gateway" : "Gateway Time-out"}</h1></body></html>\n`);
        return;
      }
      const request = new Request(method, url.pathname, [], "", req.headers, url);
      if (e.status === 401 && !this.es) {
        res.writeHead(401, { "Content-Type": "text/plain; charset=UTF-8", "WWW-Authenticate": 'Basic realm="OpenSearch Security"' });
        res.end("Unauthorized");
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(e.headers ?? {})) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      this.send(res, request, { status: e.status, body: e.body(), headers }, versionEcho);
    }
  }

  private checkContentType(contentType: string | undefined): void {
    const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const ok = [
      "application/json",
      "application/x-ndjson",
      "application/vnd.elasticsearch+json",
      "application/vnd.elasticsearch+x-ndjson",
      "application/vnd.opensearch+json",
      "application/vnd.opensearch+x-ndjson",
    ];
    if (!ok.includes(type)) {
      throw new EsApiError(406, `Content-Type header [${contentType ?? ""}] is not supported`);
    }
  }

  private authenticate(req: Request): void {
    const creds = this.core.credentials;
    if (!creds) return;
    const header = String(req.headers.authorization ?? "");
    const [scheme = "", value = ""] = header.split(/\s+/, 2);
    const wwwAuthenticate = { "WWW-Authenticate": ['Basic realm="security", charset="UTF-8"', 'Bearer realm="security"', "ApiKey"] };
    const deny = (reason: string) => new EsApiError(401, { type: "security_exception", reason, header: wwwAuthenticate }, undefined, wwwAuthenticate);
    if (!header) throw deny(`missing authentication credentials for REST request [${req.path}]`);
    const kind = scheme.toLowerCase();
    if (kind === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const at = decoded.indexOf(":");
      const user = at < 0 ? decoded : decoded.slice(0, at);
      if (at >= 0 && creds.users?.[user] !== undefined && creds.users[user] === decoded.slice(at + 1)) return;
      throw deny(`unable to authenticate user [${user}] for REST request [${req.path}]`);
    }
    if (kind === "apikey" && creds.apiKeys?.includes(value)) return;
    if (kind === "bearer" && creds.bearerTokens?.includes(value)) return;
    throw deny(`unable to authenticate with provided credentials and anonymous access is not allowed for this request`);
  }

  private send(res: ServerResponse, req: Request, reply: Reply, versionEcho: number | undefined): void {
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (this.es) headers["X-elastic-product"] = "Elasticsearch";
    if (req.method === "HEAD" || reply.body === undefined) {
      res.writeHead(reply.status, { ...headers, "content-length": "0" });
      res.end();
      return;
    }
    let body: unknown = reply.body;
    const filterPath = req.params.get("filter_path");
    if (filterPath && typeof body === "object" && body !== null) body = applyFilterPath(body, filterPath.split(","));
    const pretty = req.params.has("pretty") && req.params.get("pretty") !== "false";
    const text = pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
    headers["content-type"] = this.es
      ? versionEcho !== undefined
        ? `application/vnd.elasticsearch+json;compatible-with=${versionEcho}`
        : "application/json"
      : "application/json; charset=UTF-8";
    headers["content-length"] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
  }

  private async route(req: Request, startedAt: number, failure: RequestFailure | undefined): Promise<Reply> {
    const [first, second, third, ...rest] = req.segments;
    if (first === undefined) {
      expect(req, ["GET", "HEAD"]);
      req.allowParams();
      return { status: 200, body: clusterInfo(this.core.flavour, this.core.nodeName, this.core.clusterName, this.core.clusterUuid) };
    }
    if (rest.length > 0) throw noHandler(req);
    if (first.startsWith("_") && first !== "_all") {
      if (first === "_bulk" && second === undefined) return this.bulk(req, undefined, startedAt, failure);
      if (first === "_search" && second === undefined) return this.search(req, undefined, startedAt);
      if (first === "_count" && second === undefined) return this.count(req, undefined);
      if (first === "_refresh" && second === undefined) return this.refresh(req, undefined);
      if (first === "_mapping" && second === undefined) return this.mapping(req, undefined);
      if (first === "_pit" && second === undefined && this.es) return this.closeEsPit(req);
      if (first === "_search" && second === "point_in_time" && !this.es) {
        if (third === "_all") return this.allOsPits(req);
        if (third === undefined) return this.closeOsPits(req);
      }
      if (first === "_cat" && second === "indices") return this.catIndices(req, third);
      if (first === "_cluster" && second === "health" && third === undefined) return this.health(req);
      throw noHandler(req);
    }
    if (second === undefined) return this.indexApi(req, first);
    if (second === "_bulk" && third === undefined) return this.bulk(req, first, startedAt, failure);
    if (second === "_search" && third === undefined) return this.search(req, first, startedAt);
    if (second === "_search" && third === "point_in_time" && !this.es) return this.openPit(req, first);
    if (second === "_pit" && third === undefined && this.es) return this.openPit(req, first);
    if (second === "_count" && third === undefined) return this.count(req, first);
    if (second === "_refresh" && third === undefined) return this.refresh(req, first);
    if (second === "_mapping" && third === undefined) return this.mapping(req, first);
    if (second === "_doc" || second === "_create") return this.document(req, first, second, third);
    throw noHandler(req);
  }

  private targetIndices(req: Request, expression: string | undefined): IndexState[] {
    const ignoreUnavailable = req.flag("ignore_unavailable", false);
    const allowNoIndices = req.flag("allow_no_indices", true);
    return resolveIndices(this.core.store, expression, ignoreUnavailable, allowNoIndices);
  }

  private async bulk(req: Request, index: string | undefined, startedAt: number, failure: RequestFailure | undefined): Promise<Reply> {
    expect(req, ["POST", "PUT"]);
    req.allowParams(WRITE_PARAMS);
    const refresh = req.params.get("refresh");
    const items = parseBulkBody(req.body, index);
    const outcome = executeBulk(
      this.core.store,
      items,
      {
        mappingErrorType: FLAVOURS[this.core.flavour].mappingErrorType,
        forcedRefresh: refresh === "" || refresh === "true",
        ...(failure ? { rejectItems: { status: failure.status, error: injectedError(failure.status).detail as EsErrorCause } } : {}),
      },
      startedAt,
    );
    await this.afterWrite(refresh, outcome.touched);
    return { status: 200, body: outcome.response };
  }

  private async afterWrite(refresh: string | null, touched: Set<IndexState>): Promise<void> {
    if (refresh === null || refresh === "false") return;
    if (refresh === "" || refresh === "true") this.core.refreshNow(touched);
    else if (refresh === "wait_for") await this.core.waitForRefresh(touched);
    else throw illegalArgument(`Unknown value for refresh: [${refresh}].`);
  }

  private resolvePit(body: { pit?: { id: string; keep_alive?: string | undefined } | undefined }, pathIndex: string | undefined): PointInTime | undefined {
    if (!body.pit) return undefined;
    if (pathIndex !== undefined) throw validationFailed("[indices] cannot be used with point in time. Do not specify any index with point in time.");
    const keepAlive = body.pit.keep_alive === undefined ? undefined : keepAliveOf(body.pit.keep_alive, "keep_alive");
    const pit = this.core.store.findPit(body.pit.id, keepAlive);
    if (!pit) throw searchContextMissing(body.pit.id);
    return pit;
  }

  private async search(req: Request, index: string | undefined, startedAt: number): Promise<Reply> {
    expect(req, ["GET", "POST"]);
    req.allowParams(SEARCH_PARAMS);
    if (req.params.has("q")) throw illegalArgument("[es-sim] the q parameter (Lucene query syntax) is not supported; send a query body");
    if (req.params.has("scroll")) throw illegalArgument("[es-sim] scroll is not supported; use a point in time with search_after");
    const body = parseSearchBody(req.json());
    const size = req.intParam("size");
    const from = req.intParam("from");
    if (size !== undefined) body.size = size;
    if (from !== undefined) body.from = from;
    const sortParam = req.params.get("sort");
    if (sortParam) body.sort = sortParam.split(",");
    const tth = req.params.get("track_total_hits");
    if (tth !== null) body.track_total_hits = tth === "" || tth === "true" ? true : tth === "false" ? false : Number(tth);
    const timeout = req.params.get("timeout");
    if (timeout !== null) body.timeout = timeout;
    const pit = this.resolvePit(body, index);
    let targets: SearchTarget[];
    if (pit) targets = pit.targets.filter((t) => this.core.store.indices.get(t.index.name) === t.index).map((t) => ({ index: t.index, seqNo: t.seqNo }));
    else {
      const indices = this.targetIndices(req, index);
      this.core.beforeSearch(indices);
      targets = indices.map((i) => ({ index: i, seqNo: i.refreshedSeqNo }));
    }
    let sourceParam: unknown;
    const includes = req.params.get("_source_includes");
    const excludes = req.params.get("_source_excludes");
    const source = req.params.get("_source");
    if (includes !== null || excludes !== null) sourceParam = { includes: includes?.split(",") ?? [], excludes: excludes?.split(",") ?? [] };
    else if (source !== null) sourceParam = source === "true" ? true : source === "false" ? false : source;
    const response = executeSearch({
      targets,
      body,
      ...(pit ? { pit } : {}),
      now: this.core.now(),
      restTotalHitsAsInt: req.flag("rest_total_hits_as_int", false),
      typedKeys: req.flag("typed_keys", false),
      sourceParam,
      startedAt,
      dialect: { shardDoc: this.es, idFieldData: !this.es },
    });
    return { status: 200, body: response };
  }

  private count(req: Request, index: string | undefined): Reply {
    expect(req, ["GET", "POST"]);
    req.allowParams([
      "ignore_unavailable",
      "allow_no_indices",
      "expand_wildcards",
      "min_score",
      "preference",
      "routing",
      "terminate_after",
      "q",
      "ignore_throttled",
      "analyzer",
      "default_operator",
      "df",
      "lenient",
    ]);
    const raw = req.json();
    if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) throw parsingException("request body is required");
    const body = (raw ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(body)) if (key !== "query") throw parsingException(`request does not support [${key}]`);
    const indices = this.targetIndices(req, index);
    this.core.beforeSearch(indices);
    return {
      status: 200,
      body: executeCount(
        indices.map((i) => ({ index: i, seqNo: i.refreshedSeqNo })),
        body.query,
        this.core.now(),
      ),
    };
  }

  private refresh(req: Request, index: string | undefined): Reply {
    expect(req, ["GET", "POST"]);
    req.allowParams(["ignore_unavailable", "allow_no_indices", "expand_wildcards"]);
    const indices = this.targetIndices(req, index);
    this.core.refreshNow(indices);
    return { status: 200, body: { _shards: { total: indices.length * 2, successful: indices.length, failed: 0 } } };
  }

  private mapping(req: Request, index: string | undefined): Reply {
    expect(req, ["GET", "HEAD"]);
    req.allowParams(["ignore_unavailable", "allow_no_indices", "expand_wildcards", "local", "master_timeout"]);
    const out: Record<string, unknown> = {};
    for (const i of this.targetIndices(req, index)) out[i.name] = { mappings: mappingBody(i.mapping) };
    return { status: 200, body: out };
  }

  private openPit(req: Request, index: string): Reply {
    expect(req, ["POST"]);
    req.allowParams([
      "keep_alive",
      "ignore_unavailable",
      "allow_no_indices",
      "expand_wildcards",
      "preference",
      "routing",
      "allow_partial_search_results",
      "allow_partial_pit_creation",
      "max_concurrent_shard_requests",
      "index_filter",
    ]);
    const keepAliveText = req.params.get("keep_alive");
    if (keepAliveText === null) throw validationFailed("[keep_alive] is not specified");
    const keepAlive = keepAliveOf(keepAliveText);
    const indices = this.targetIndices(req, index);
    this.core.beforeSearch(indices);
    const pit = this.core.store.openPit(indices, keepAlive);
    const shards = { total: indices.length, successful: indices.length, skipped: 0, failed: 0 };
    if (this.es) return { status: 200, body: { id: pit.id, _shards: shards } };
    return { status: 200, body: { pit_id: pit.id, _shards: shards, creation_time: pit.createdAt } };
  }

  private closeEsPit(req: Request): Reply {
    expect(req, ["DELETE"]);
    req.allowParams();
    const parsed = ClosePitBody.safeParse(req.json());
    if (!parsed.success) throw validationFailed("id is required");
    const freed = this.core.store.closePit(parsed.data.id);
    return { status: freed ? 200 : 404, body: { succeeded: true, num_freed: freed ? 1 : 0 } };
  }

  private closeOsPits(req: Request): Reply {
    expect(req, ["DELETE"]);
    req.allowParams();
    const parsed = DeleteOsPitBody.safeParse(req.json());
    if (!parsed.success) throw validationFailed("no pit ids specified");
    const ids = Array.isArray(parsed.data.pit_id) ? parsed.data.pit_id : [parsed.data.pit_id];
    const pits = ids.map((id) => ({ succeeded: this.core.store.closePit(id), pit_id: id }));
    return { status: pits.every((p) => !p.succeeded) ? 404 : 200, body: { pits } };
  }

  private allOsPits(req: Request): Reply {
    expect(req, ["GET", "DELETE"]);
    req.allowParams();
    this.core.store.expirePits();
    const all = [...this.core.store.pits.values()];
    if (req.method === "GET") {
      return { status: 200, body: { pits: all.map((p) => ({ pit_id: p.id, creation_time: p.createdAt, keep_alive: p.keepAliveMs })) } };
    }
    for (const p of all) this.core.store.closePit(p.id);
    return { status: 200, body: { pits: all.map((p) => ({ succeeded: true, pit_id: p.id })) } };
  }

  private indexApi(req: Request, name: string): Reply {
    expect(req, ["GET", "HEAD", "PUT", "DELETE"]);
    const store = this.core.store;
    if (req.method === "PUT") {
      req.allowParams(["wait_for_active_shards", "timeout", "master_timeout"]);
      if (store.indices.has(name)) {
        const existing = store.indices.get(name) as IndexState;
        throw new EsApiError(400, {
          type: "resource_already_exists_exception",
          reason: `index [${name}/${existing.uuid}] already exists`,
          index_uuid: existing.uuid,
          index: name,
        });
      }
      const body = req.json();
      if (body !== undefined && typeof body === "object" && body !== null && Object.keys(body).length > 0) {
        throw illegalArgument("[es-sim] index settings and explicit mappings are not supported; indices are created with dynamic mapping");
      }
      store.getOrCreate(name);
      return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: name } };
    }
    req.allowParams(["ignore_unavailable", "allow_no_indices", "expand_wildcards", "timeout", "master_timeout", "flat_settings", "include_defaults", "local"]);
    const indices = this.targetIndices(req, name);
    if (req.method === "DELETE") {
      for (const i of indices) store.deleteIndex(i.name);
      return { status: 200, body: { acknowledged: true } };
    }
    if (req.method === "HEAD") return { status: indices.length > 0 ? 200 : 404 };
    const out: Record<string, unknown> = {};
    for (const i of indices) {
      out[i.name] = {
        aliases: {},
        mappings: mappingBody(i.mapping),
        settings: { index: { number_of_shards: "1", number_of_replicas: "1", uuid: i.uuid, provided_name: i.name, creation_date: String(i.createdAt) } },
      };
    }
    return { status: 200, body: out };
  }

  private async document(req: Request, indexName: string, api: "_doc" | "_create", id: string | undefined): Promise<Reply> {
    const store = this.core.store;
    req.allowParams(WRITE_PARAMS, ["realtime", "stored_fields", "preference"]);
    if (api === "_create" && id === undefined) throw noHandler(req);
    if (req.method === "GET" || req.method === "HEAD") {
      if (id === undefined || api !== "_doc") throw noHandler(req);
      const index = store.indices.get(indexName);
      if (!index) throw indexNotFound(indexName);
      // GET by id is real-time in ES: it sees documents before they are refreshed.
      const doc = index.live.get(id);
      if (!doc) return { status: 404, body: { _index: indexName, _id: id, found: false } };
      return {
        status: 200,
        body: { _index: indexName, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: 1, found: true, _source: doc.source },
      };
    }
    if (req.method === "DELETE") {
      if (id === undefined || api !== "_doc") throw noHandler(req);
      const index = store.indices.get(indexName);
      if (!index) throw indexNotFound(indexName);
      const result = store.delete(index, id);
      await this.afterWrite(req.params.get("refresh"), new Set([index]));
      const body = {
        _index: indexName,
        _id: id,
        _version: result.version,
        result: result.result,
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: result.seqNo,
        _primary_term: 1,
      };
      return { status: result.result === "deleted" ? 200 : 404, body };
    }
    if (id === undefined) expect(req, ["POST"]);
    else expect(req, ["PUT", "POST"]);
    const source = req.json();
    if (typeof source !== "object" || source === null || Array.isArray(source)) throw parsingException("request body is required");
    const opType = api === "_create" || req.params.get("op_type") === "create" ? "create" : "index";
    const items = [{ action: opType, index: indexName, ...(id !== undefined ? { id } : {}), source: JSON.stringify(source), line: 1 }] as const;
    const refresh = req.params.get("refresh");
    const outcome = executeBulk(
      store,
      [...items],
      { mappingErrorType: FLAVOURS[this.core.flavour].mappingErrorType, forcedRefresh: refresh === "" || refresh === "true" },
      Date.now(),
    );
    const item = (outcome.response.items[0] as Record<string, Record<string, unknown>>)[opType] as Record<string, unknown>;
    if (item.error) throw new EsApiError(Number(item.status), item.error as EsErrorCause);
    await this.afterWrite(refresh, outcome.touched);
    const { status, ...rest } = item;
    return { status: Number(status), body: rest };
  }

  private catIndices(req: Request, expression: string | undefined): Reply {
    expect(req, ["GET"]);
    req.allowParams(["format", "h", "v", "s", "bytes", "health", "expand_wildcards", "local", "master_timeout", "pri", "include_unloaded_segments"]);
    // Summed per document: one string of a million documents is over V8's string length limit.
    const kb = (i: IndexState) => `${Math.round([...i.live.values()].reduce((sum, d) => sum + JSON.stringify(d.source).length, 2) / 1024)}kb`;
    const rows = resolveIndices(this.core.store, expression, false, true).map((i) => ({
      health: "yellow",
      status: "open",
      index: i.name,
      uuid: i.uuid,
      pri: "1",
      rep: "1",
      "docs.count": String(i.live.size),
      "docs.deleted": "0",
      "store.size": kb(i),
      "pri.store.size": kb(i),
    }));
    if (req.params.get("format") === "json") return { status: 200, body: rows };
    throw illegalArgument("[es-sim] _cat/indices answers only format=json");
  }

  private health(req: Request): Reply {
    expect(req, ["GET"]);
    req.allowParams([
      "wait_for_status",
      "timeout",
      "level",
      "local",
      "master_timeout",
      "wait_for_nodes",
      "wait_for_active_shards",
      "wait_for_no_relocating_shards",
      "wait_for_no_initializing_shards",
      "wait_for_events",
      "expand_wildcards",
    ]);
    const n = this.core.store.indices.size;
    return {
      status: 200,
      body: {
        cluster_name: this.core.clusterName,
        status: n > 0 ? "yellow" : "green",
        timed_out: false,
        number_of_nodes: 1,
        number_of_data_nodes: 1,
        active_primary_shards: n,
        active_shards: n,
        relocating_shards: 0,
        initializing_shards: 0,
        unassigned_shards: n,
        delayed_unassigned_shards: 0,
        number_of_pending_tasks: 0,
        number_of_in_flight_fetch: 0,
        task_max_waiting_in_queue_millis: 0,
        active_shards_percent_as_number: n > 0 ? 50 : 100,
      },
    };
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new EsApiError(413, "Request Entity Too Large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The error an injected failure answers with, shaped as the real cause of that status usually is. */
export function injectedError(status: number): EsApiError {
  if (status === 429) {
    return new EsApiError(429, {
      type: "es_rejected_execution_exception",
      reason:
        "rejected execution of coordinating operation [coordinating_and_primary_bytes=104857600, replica_bytes=0, all_bytes=104857600, " +
        "coordinating_operation_bytes=1048576, max_coordinating_and_primary_bytes=107374182]",
    });
  }
  if (status === 503) {
    return new EsApiError(503, { type: "cluster_block_exception", reason: "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];" });
  }
  if (status === 502 || status === 504) return new EsApiError(status, status === 502 ? "Bad Gateway" : "Gateway Time-out");
  return new EsApiError(status, { type: "exception", reason: "[es-sim] injected internal failure" });
}

/** `filter_path`: keep only the named paths (`*` one level, `**` any depth), or drop those prefixed with `-`. */
export function applyFilterPath(body: unknown, patterns: string[]): unknown {
  const includes = patterns.filter((p) => !p.startsWith("-")).map((p) => p.split("."));
  const excludes = patterns.filter((p) => p.startsWith("-")).map((p) => p.slice(1).split("."));
  const matches = (pattern: string[], path: string[], partial: boolean): boolean => {
    const go = (pi: number, si: number): boolean => {
      if (pi === pattern.length) return si === path.length || (!partial && si <= path.length);
      if (si === path.length) return partial;
      const p = pattern[pi] as string;
      if (p === "**") return go(pi + 1, si) || go(pi, si + 1);
      return globToRegExp(p).test(path[si] as string) && go(pi + 1, si + 1);
    };
    return go(0, 0);
  };
  const walk = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) {
      const items = value.map((v) => walk(v, path)).filter((v) => v !== undefined);
      return items.length > 0 ? items : undefined;
    }
    if (typeof value !== "object" || value === null) {
      return includes.length === 0 || includes.some((p) => matches(p, path, false)) ? value : undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, k];
      if (excludes.some((e) => matches(e, p, false))) continue;
      if (includes.length > 0 && !includes.some((i) => matches(i, p, true) || matches(i, p, false))) continue;
      const child = includes.some((i) => matches(i, p, false)) && excludes.length === 0 ? v : walk(v, p);
      if (child !== undefined) out[k] = child;
    }
    return Object.keys(out).length > 0 || path.length === 0 ? out : undefined;
  };
  return walk(body, []);
}
