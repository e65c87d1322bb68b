import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { EsApiError, invalidIndexNameCause, type EsErrorCause } from "./errors";
import { emptyMapping, indexDocument, type IndexMapping } from "./mapping";

/**
 * The documents of every index, kept as versions stamped with the index's sequence number, so a search sees what
 * the last refresh exposed and a point in time keeps seeing what existed when it opened.
 */

export interface DocVersion {
  index: IndexState;
  id: string;
  source: Record<string, unknown>;
  values: Map<string, Array<string | number | boolean>>;
  ignored: string[];
  version: number;
  seqNo: number;
  /** Position in the index's segment order: Lucene's doc id, the `_doc` sort and half of `_shard_doc`. */
  docNum: number;
  /** Sequence number of the write that replaced or deleted this version. */
  goneAt?: number;
  /** Analysed tokens per text path, computed on first use. */
  tokens?: Map<string, string[][]>;
}

export interface IndexState {
  name: string;
  uuid: string;
  createdAt: number;
  mapping: IndexMapping;
  versions: DocVersion[];
  live: Map<string, DocVersion>;
  /** Last sequence number assigned (-1: none). */
  seqNo: number;
  /** Sequence number the last refresh exposed to searches. */
  refreshedSeqNo: number;
  lastSearchedAt: number;
  refreshWaiters: Array<() => void>;
}

/** A frozen view: for each index, what was searchable when the point in time opened. */
export interface PointInTime {
  id: string;
  targets: Array<{ index: IndexState; seqNo: number }>;
  keepAliveMs: number;
  expiresAt: number;
  createdAt: number;
}

export type WriteResult = { result: "created" | "updated" | "deleted" | "not_found" | "noop"; version: number; seqNo: number; id: string };

const INVALID_CHARS = ["\\", "/", "*", "?", '"', "<", ">", "|", " ", ",", "#", ":"];

/** Why ES would refuse `name` as an index name, if it would. */
export function invalidIndexName(name: string): EsErrorCause | undefined {
  if (name !== name.toLowerCase()) return invalidIndexNameCause(name, "must be lowercase");
  const bad = INVALID_CHARS.find((c) => name.includes(c));
  if (bad) return invalidIndexNameCause(name, `must not contain the following characters [${INVALID_CHARS.join(", ")}]`);
  if (/^[-_+]/.test(name)) return invalidIndexNameCause(name, "must not start with '_', '-', or '+'");
  if (name === "." || name === ".." || name === "") return invalidIndexNameCause(name, "must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255) return invalidIndexNameCause(name, "index name is too long, (" + Buffer.byteLength(name) + " > 255)");
  return undefined;
}

/** ES's auto-generated ids: 20 URL-safe base64 characters. */
export function autoId(): string {
  return randomBytes(15).toString("base64url");
}

export class DocumentStore {
  readonly indices = new Map<string, IndexState>();
  readonly pits = new Map<string, PointInTime>();

  constructor(
    private readonly now: () => number,
    private readonly mappingErrorType: string,
  ) {}

  getOrCreate(name: string): IndexState {
    const existing = this.indices.get(name);
    if (existing) return existing;
    const invalid = invalidIndexName(name);
    if (invalid) throw new EsApiError(400, invalid);
    const created: IndexState = {
      name,
      uuid: randomUUID().replace(/-/g, "").slice(0, 22),
      createdAt: this.now(),
      mapping: emptyMapping(),
      versions: [],
      live: new Map(),
      seqNo: -1,
      refreshedSeqNo: -1,
      lastSearchedAt: this.now(),
      refreshWaiters: [],
    };
    this.indices.set(name, created);
    return created;
  }

  deleteIndex(name: string): void {
    const index = this.indices.get(name);
    if (!index) return;
    this.indices.delete(name);
    for (const waiter of index.refreshWaiters.splice(0)) waiter();
  }

  /** Index (create or replace) one document; `create` refuses an id that exists, as op_type=create does. */
  put(index: IndexState, id: string | undefined, source: Record<string, unknown>, opType: "index" | "create"): WriteResult {
    const docId = id ?? autoId();
    const current = index.live.get(docId);
    if (current && opType === "create") {
      throw new EsApiError(409, {
        type: "version_conflict_engine_exception",
        reason: `[${docId}]: version conflict, document already exists (current version [${current.version}])`,
        index_uuid: index.uuid,
        shard: "0",
        index: index.name,
      });
    }
    const fields = indexDocument(index.mapping, source, { errorType: this.mappingErrorType, id: docId });
    const seqNo = ++index.seqNo;
    if (current) current.goneAt = seqNo;
    const version: DocVersion = {
      index,
      id: docId,
      source,
      values: fields.values,
      ignored: fields.ignored,
      version: (current?.version ?? 0) + 1,
      seqNo,
      docNum: index.versions.length,
    };
    index.versions.push(version);
    index.live.set(docId, version);
    return { result: current ? "updated" : "created", version: version.version, seqNo, id: docId };
  }

  delete(index: IndexState, id: string): WriteResult {
    const current = index.live.get(id);
    const seqNo = ++index.seqNo;
    if (!current) return { result: "not_found", version: 1, seqNo, id };
    current.goneAt = seqNo;
    index.live.delete(id);
    return { result: "deleted", version: current.version + 1, seqNo, id };
  }

  /**
   * Forgets documents whose `@timestamp` is older than `cutoffMs` (a retention policy, as ILM's delete phase would):
   * the embedded demo ships logs for as long as it runs. Skipped while a point in time is open, whose frozen view
   * must keep its documents. Returns how many were dropped.
   */
  trimBefore(cutoffMs: number): number {
    if (this.pits.size) return 0;
    let dropped = 0;
    for (const index of this.indices.values()) {
      const keep = index.versions.filter((v) => {
        const at = Date.parse(String(v.source["@timestamp"] ?? ""));
        return !(Number.isFinite(at) && at < cutoffMs);
      });
      if (keep.length === index.versions.length) continue;
      dropped += index.versions.length - keep.length;
      index.versions = keep;
      const kept = new Set(keep);
      for (const [id, version] of index.live) if (!kept.has(version)) index.live.delete(id);
    }
    return dropped;
  }

  refresh(index: IndexState): void {
    index.refreshedSeqNo = index.seqNo;
    for (const waiter of index.refreshWaiters.splice(0)) waiter();
  }

  /** Documents visible at `seqNo`: written at or before it and not replaced or deleted by then. */
  visible(index: IndexState, seqNo: number): DocVersion[] {
    return index.versions.filter((v) => v.seqNo <= seqNo && (v.goneAt === undefined || v.goneAt > seqNo));
  }

  openPit(targets: IndexState[], keepAliveMs: number): PointInTime {
    this.expirePits();
    const id = randomBytes(48).toString("base64url");
    const now = this.now();
    const pit: PointInTime = {
      id,
      targets: targets.map((index) => ({ index, seqNo: index.refreshedSeqNo })),
      keepAliveMs,
      expiresAt: now + keepAliveMs,
      createdAt: now,
    };
    this.pits.set(id, pit);
    return pit;
  }

  /** The point in time if it is still alive; `keepAliveMs` extends it, as each search naming keep_alive does. */
  findPit(id: string, keepAliveMs?: number): PointInTime | undefined {
    this.expirePits();
    const pit = this.pits.get(id);
    if (pit && keepAliveMs !== undefined) {
      pit.keepAliveMs = keepAliveMs;
      pit.expiresAt = this.now() + keepAliveMs;
    }
    return pit;
  }

  closePit(id: string): boolean {
    this.expirePits();
    return this.pits.delete(id);
  }

  expirePits(): void {
    const now = this.now();
    for (const [id, pit] of this.pits) if (pit.expiresAt <= now) this.pits.delete(id);
  }
}
