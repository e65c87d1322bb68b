import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { FLAVOURS, type EsFlavour } from "./flavours";
import { EsHttpApi, type Credentials, type RequestFailure } from "./http-server";
import { DocumentStore, type IndexState } from "./store";

export interface EsSimOptions {
  /** Which server to be (default elasticsearch8): version in `GET /`, compatibility headers, product header. */
  flavour?: EsFlavour;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  clusterName?: string;
  nodeName?: string;
  /**
   * Milliseconds between scheduled refreshes (default 1000, as ES's index.refresh_interval); null: only explicit
   * refreshes (`_refresh`, `refresh=true`, `sim.refresh()`).
   */
  refreshIntervalMs?: number | null;
  /**
   * An index not searched for this long skips scheduled refreshes; the next search refreshes it first
   * (ES's search-idle shards, default 30000). null turns it off.
   */
  searchIdleAfterMs?: number | null;
  /** Credentials to require (default none: security off, as a fresh single-node dev cluster). */
  auth?: Credentials;
  /** Clock for point-in-time expiry and `now` in date math (default Date.now). */
  now?: () => number;
}

const OptionsSchema = z.object({
  flavour: z.enum(["elasticsearch8", "elasticsearch9", "opensearch2"]).optional(),
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  clusterName: z.string().min(1).optional(),
  nodeName: z.string().min(1).optional(),
  refreshIntervalMs: z.number().positive().nullable().optional(),
  searchIdleAfterMs: z.number().positive().nullable().optional(),
  auth: z
    .object({
      users: z.record(z.string(), z.string()).optional(),
      apiKeys: z.array(z.string()).optional(),
      bearerTokens: z.array(z.string()).optional(),
    })
    .optional(),
  now: z.function().optional(),
});

export interface EsSim {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly flavour: EsFlavour;
  /** The version `GET /` reports. */
  readonly version: string;
  /** Answer matching requests with this failure until called with null (or `times` requests have failed). */
  setFailure(failure: RequestFailure | null): void;
  /** Delay every response by `ms` (0: none), or only requests matching `paths`. */
  setDelay(ms: number, paths?: Array<string | RegExp>): void;
  /** Make everything written so far searchable now (all indices, or those named). */
  refresh(...indices: string[]): void;
  /** Drops documents older than `cutoffMs` (`@timestamp`), as a retention policy would; returns how many. */
  trimBefore(cutoffMs: number): number;
  /** Names of existing indices, sorted. */
  indexNames(): string[];
  /** Documents per index, including unrefreshed ones. */
  documentCount(index: string): number;
  /** Requests served, by "METHOD /path"; for tests that assert a client's behaviour. */
  requests(): ReadonlyArray<{ method: string; path: string }>;
  openPointsInTime(): number;
  stop(): Promise<void>;
}

function matchesPath(path: string, patterns: Array<string | RegExp> | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((p) => (typeof p === "string" ? path === p || path.endsWith(p) : p.test(path)));
}

/** Starts a simulated single-node Elasticsearch/OpenSearch on 127.0.0.1. */
export async function startEsSim(options: EsSimOptions = {}): Promise<EsSim> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`invalid es-sim options: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const flavour = options.flavour ?? "elasticsearch8";
  const now = options.now ?? Date.now;
  const refreshIntervalMs = options.refreshIntervalMs === undefined ? 1000 : options.refreshIntervalMs;
  const searchIdleAfterMs = options.searchIdleAfterMs === undefined ? 30_000 : options.searchIdleAfterMs;
  const store = new DocumentStore(now, FLAVOURS[flavour].mappingErrorType);
  let failure: (RequestFailure & { remaining: number }) | null = null;
  let delay: { ms: number; paths?: Array<string | RegExp> | undefined } = { ms: 0 };
  const log: Array<{ method: string; path: string }> = [];

  const isIdle = (index: IndexState) => searchIdleAfterMs !== null && now() - index.lastSearchedAt > searchIdleAfterMs;
  const refreshNow = (indices: Iterable<IndexState>) => {
    for (const index of indices) store.refresh(index);
  };
  const timer =
    refreshIntervalMs === null
      ? undefined
      : setInterval(() => {
          for (const index of store.indices.values()) {
            if (index.seqNo !== index.refreshedSeqNo && !isIdle(index)) store.refresh(index);
          }
        }, refreshIntervalMs);
  timer?.unref();

  const api = new EsHttpApi({
    store,
    flavour,
    nodeName: options.nodeName ?? "es-sim-node",
    clusterName: options.clusterName ?? "es-sim",
    clusterUuid: randomUUID().replace(/-/g, "").slice(0, 22),
    credentials: options.auth,
    now,
    delayFor: (_method, path) => (matchesPath(path, delay.paths) ? delay.ms : 0),
    takeFailure: (method, path) => {
      if (!failure || !matchesPath(path, failure.paths)) return undefined;
      if (failure.methods && !failure.methods.includes(method)) return undefined;
      if (failure.scope === "bulk-items" && !/\/_bulk$/.test(path)) return undefined;
      const current = failure;
      current.remaining--;
      if (current.remaining <= 0) failure = null;
      return current;
    },
    beforeSearch: (indices) => {
      for (const index of indices) {
        // A search-idle shard with pending writes refreshes before it answers, as ES does.
        if (isIdle(index) && index.seqNo !== index.refreshedSeqNo) store.refresh(index);
        index.lastSearchedAt = now();
      }
    },
    refreshNow,
    waitForRefresh: (indices) => {
      const pending = [...indices].filter((i) => i.seqNo !== i.refreshedSeqNo);
      if (refreshIntervalMs === null) {
        refreshNow(pending);
        return Promise.resolve();
      }
      return Promise.all(pending.map((i) => new Promise<void>((resolve) => i.refreshWaiters.push(resolve)))).then(() => undefined);
    },
    onRequest: (method, path) => {
      log.push({ method, path });
      if (log.length > 10_000) log.splice(0, log.length - 10_000);
    },
  });

  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    void api.handle(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    flavour,
    version: FLAVOURS[flavour].number,
    setFailure(next) {
      failure = next ? { ...next, remaining: next.times ?? Infinity } : null;
    },
    setDelay(ms, paths) {
      delay = { ms, paths };
    },
    refresh(...names) {
      const targets = names.length === 0 ? [...store.indices.values()] : names.map((n) => store.indices.get(n)).filter((i): i is IndexState => i !== undefined);
      refreshNow(targets);
    },
    indexNames: () => [...store.indices.keys()].sort(),
    trimBefore: (cutoffMs) => store.trimBefore(cutoffMs),
    documentCount: (name) => store.indices.get(name)?.live.size ?? 0,
    requests: () => log,
    openPointsInTime: () => {
      store.expirePits();
      return store.pits.size;
    },
    async stop() {
      if (timer) clearInterval(timer);
      for (const index of store.indices.values()) for (const waiter of index.refreshWaiters.splice(0)) waiter();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
