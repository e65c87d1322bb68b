import "server-only";
import { deepClone, deepEqual } from "./json";
import { apiVersionOf, resourceKey, type ResourceType } from "./resources";
import type { KubeObject, StoredObject } from "./types";

/**
 * The simulator's etcd: every object of every resource type, one global resourceVersion counter, and a bounded
 * history of changes that watches replay from. Stored objects are deep-frozen; callers clone before changing.
 */

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change {
  rv: number;
  type: ChangeType;
  rt: ResourceType;
  object: StoredObject;
  /** The object before a MODIFIED or DELETED change. */
  previous?: StoredObject;
}

export type ChangeListener = (change: Change) => void;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export class Store {
  private rv = 1;
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private readonly history: Change[] = [];
  private droppedUpTo = 0;
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly historyLimit: number) {}

  currentResourceVersion(): number {
    return this.rv;
  }

  /** A watch may resume from `rv` only if no change after it has been dropped from the history. */
  canResumeFrom(rv: number): boolean {
    return rv >= this.droppedUpTo;
  }

  /** The oldest resourceVersion a watch can still resume from (for the "too old resource version" message). */
  oldestResumable(): number {
    return this.droppedUpTo;
  }

  changesSince(rv: number): readonly Change[] {
    const idx = this.history.findIndex((c) => c.rv > rv);
    return idx === -1 ? [] : this.history.slice(idx);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private bucket(rt: ResourceType): Map<string, StoredObject> {
    const key = resourceKey(rt);
    let b = this.buckets.get(key);
    if (!b) {
      b = new Map();
      this.buckets.set(key, b);
    }
    return b;
  }

  get<T extends StoredObject = StoredObject>(rt: ResourceType, namespace: string | undefined, name: string): T | undefined {
    return this.bucket(rt).get(objectKey(rt.namespaced ? namespace : undefined, name)) as T | undefined;
  }

  /** Objects in etcd key order (namespace, then name). `namespace` undefined = all namespaces. */
  list<T extends StoredObject = StoredObject>(rt: ResourceType, namespace?: string): T[] {
    const out: StoredObject[] = [];
    for (const o of this.bucket(rt).values()) {
      if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
    }
    out.sort((a, b) => {
      const ka = objectKey(a.metadata.namespace, a.metadata.name);
      const kb = objectKey(b.metadata.namespace, b.metadata.name);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return out as T[];
  }

  count(rt: ResourceType): number {
    return this.bucket(rt).size;
  }

  /** Stores a new object. The caller has filled uid, creationTimestamp, generation; the store sets resourceVersion. */
  insert<T extends StoredObject>(rt: ResourceType, object: KubeObject): T {
    const stored = deepClone(object) as StoredObject;
    stored.apiVersion = apiVersionOf(rt);
    stored.kind = rt.kind;
    const key = objectKey(rt.namespaced ? stored.metadata.namespace : undefined, stored.metadata.name);
    if (this.bucket(rt).has(key)) throw new Error(`insert of existing ${rt.plural} ${key}`);
    stored.metadata.resourceVersion = String(++this.rv);
    deepFreeze(stored);
    this.bucket(rt).set(key, stored);
    this.record({ rv: this.rv, type: "ADDED", rt, object: stored });
    return stored as T;
  }

  /**
   * Replaces an existing object. A write that changes nothing is not a write: no new resourceVersion, no event.
   * Returns the stored object.
   */
  replace<T extends StoredObject>(rt: ResourceType, object: KubeObject): T {
    const key = objectKey(rt.namespaced ? object.metadata.namespace : undefined, object.metadata.name ?? "");
    const previous = this.bucket(rt).get(key);
    if (!previous) throw new Error(`replace of missing ${rt.plural} ${key}`);
    if (
      object.metadata.resourceVersion === previous.metadata.resourceVersion &&
      object.apiVersion === previous.apiVersion &&
      object.kind === previous.kind &&
      deepEqual(object, previous)
    ) {
      return previous as T;
    }
    const next = deepClone(object) as StoredObject;
    next.apiVersion = apiVersionOf(rt);
    next.kind = rt.kind;
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    if (deepEqual(next, previous)) return previous as T;
    next.metadata.resourceVersion = String(++this.rv);
    deepFreeze(next);
    this.bucket(rt).set(key, next);
    this.record({ rv: this.rv, type: "MODIFIED", rt, object: next, previous });
    return next as T;
  }

  remove<T extends StoredObject>(rt: ResourceType, namespace: string | undefined, name: string): T | undefined {
    const key = objectKey(rt.namespaced ? namespace : undefined, name);
    const previous = this.bucket(rt).get(key);
    if (!previous) return undefined;
    this.bucket(rt).delete(key);
    const gone = deepClone(previous);
    gone.metadata.resourceVersion = String(++this.rv);
    deepFreeze(gone);
    this.record({ rv: this.rv, type: "DELETED", rt, object: gone, previous });
    return gone as T;
  }

  private record(change: Change): void {
    this.history.push(change);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.droppedUpTo = dropped.rv;
    }
    for (const l of this.listeners) l(change);
  }
}
