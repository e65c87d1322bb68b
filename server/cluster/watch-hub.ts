import "server-only";
import { outsideRequest } from "../shared/request-context";
import type { ClusterGateway } from "./gateway";
import { Informer, type InformerChange, type InformerStats } from "./informer";
import type { KubeObjectOf, WatchedResource } from "./kube-objects";

/**
 * Shared informer caches: one LIST+WATCH per (cluster, resource, namespace) however many pages and streams look.
 * An informer starts with its first subscriber or read, and stops `lingerMs` after the last one leaves, so a
 * warm page view costs no Kubernetes request.
 */

export type WatchHubOptions = {
  /** How long an informer outlives its last subscriber (default 2 min). */
  lingerMs?: number;
  /** Longest wait between reconnection attempts (default 30 s). */
  maxBackoffMs?: number;
  /** When a cluster does not serve a resource (no Rollout CRD), how long until it is asked again (default 5 min). */
  absentRetryMs?: number;
};

export type Snapshot<R extends WatchedResource> = {
  items: Array<KubeObjectOf<R>>;
  /** Why the cache cannot be trusted right now (LIST failed, watch broken); null when current. */
  error: unknown;
  synced: boolean;
};

export type Lease<R extends WatchedResource> = { informer: Informer<R>; release(): void };

type Entry = { informer: Informer<WatchedResource>; refs: number; linger?: NodeJS.Timeout | undefined };

const keyOf = (cluster: string, resource: WatchedResource, namespace: string | null) => `${cluster}\u0000${resource}\u0000${namespace ?? "*"}`;

export class WatchHub {
  private readonly entries = new Map<string, Entry>();
  private readonly retired: InformerStats = { lists: 0, watches: 0, relists: 0, resumes: 0 };
  private readonly lingerMs: number;
  private stopped = false;
  /** Bumped by every change any informer sees: equal generations mean equal cache contents. */
  generation = 0;

  constructor(
    private readonly gatewayOf: (cluster: string) => ClusterGateway | undefined,
    private readonly options: WatchHubOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 120_000;
  }

  /** Holds the informer for (cluster, resource, namespace) running until `release()`; `listener` hears its changes. */
  acquire<R extends WatchedResource>(cluster: string, resource: R, namespace: string | null, listener?: (change: InformerChange<R>) => void): Lease<R> {
    const gateway = this.gatewayOf(cluster);
    if (!gateway) throw new Error(`unknown cluster ${cluster}`);
    if (this.stopped) throw new Error("the watch hub has been stopped");
    const key = keyOf(cluster, resource, namespace);
    let entry = this.entries.get(key);
    if (!entry) {
      const informer = new Informer(gateway, resource, namespace, {
        maxBackoffMs: this.options.maxBackoffMs ?? 30_000,
        absentRetryMs: this.options.absentRetryMs ?? 300_000,
      });
      entry = { informer: informer as unknown as Informer<WatchedResource>, refs: 0 };
      this.entries.set(key, entry);
      informer.subscribe(() => this.generation++);
      // Shared by every page and stream that looks: its log lines belong to no one request.
      outsideRequest(() => informer.start());
    }
    const held = entry;
    held.refs++;
    if (held.linger) {
      clearTimeout(held.linger);
      held.linger = undefined;
    }
    const informer = held.informer as unknown as Informer<R>;
    const unsubscribe = listener ? informer.subscribe(listener) : undefined;
    let released = false;
    return {
      informer,
      release: () => {
        if (released) return;
        released = true;
        unsubscribe?.();
        if (--held.refs > 0) return;
        held.linger = setTimeout(() => this.retire(key, held), this.lingerMs);
        held.linger.unref();
      },
    };
  }

  /**
   * The cached objects of a resource in a namespace: from a running informer for that namespace or for the whole
   * cluster, else from one started now (the one cold LIST, waited for up to `timeoutMs`).
   */
  async read<R extends WatchedResource>(cluster: string, resource: R, namespace: string | null, timeoutMs: number): Promise<Snapshot<R>> {
    const warm = this.peek(cluster, resource, namespace);
    if (warm) {
      this.touch(cluster, resource, namespace);
      return warm;
    }
    const lease = this.acquire(cluster, resource, namespace);
    try {
      await lease.informer.whenSettled(timeoutMs);
      return this.snapshotOf(lease.informer, namespace);
    } finally {
      lease.release();
    }
  }

  /** A snapshot only if an informer already holds the data; never starts one or calls the cluster. */
  peek<R extends WatchedResource>(cluster: string, resource: R, namespace: string | null): Snapshot<R> | null {
    const own = this.entries.get(keyOf(cluster, resource, namespace))?.informer as Informer<R> | undefined;
    if (own && (own.synced || own.lastError)) return this.snapshotOf(own, namespace);
    if (namespace !== null) {
      const wide = this.entries.get(keyOf(cluster, resource, null))?.informer as Informer<R> | undefined;
      if (wide?.synced) return this.snapshotOf(wide, namespace);
    }
    return null;
  }

  private snapshotOf<R extends WatchedResource>(informer: Informer<R>, namespace: string | null): Snapshot<R> {
    const all = informer.items();
    const items = namespace !== null && informer.namespace === null ? all.filter((o) => o.metadata.namespace === namespace) : all;
    const error = informer.lastError ?? (informer.synced ? null : new Error(`timed out waiting for ${informer.resource} of cluster ${informer.gateway.name}`));
    return { items, error, synced: informer.synced };
  }

  /** A read of a lingering informer restarts its linger period. */
  private touch(cluster: string, resource: WatchedResource, namespace: string | null): void {
    const entry = this.entries.get(keyOf(cluster, resource, namespace));
    if (entry?.linger) {
      clearTimeout(entry.linger);
      entry.linger = setTimeout(() => this.retire(keyOf(cluster, resource, namespace), entry), this.lingerMs);
      entry.linger.unref();
    }
  }

  private retire(key: string, entry: Entry): void {
    if (entry.refs > 0 || this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    entry.informer.stop();
    for (const k of Object.keys(this.retired) as Array<keyof InformerStats>) this.retired[k] += entry.informer.stats[k];
  }

  /** Requests made so far by all informers, running and retired. */
  stats(): InformerStats & { informers: number } {
    const total = { ...this.retired, informers: this.entries.size };
    for (const { informer } of this.entries.values()) {
      for (const k of Object.keys(this.retired) as Array<keyof InformerStats>) total[k] += informer.stats[k];
    }
    return total;
  }

  stop(): void {
    this.stopped = true;
    for (const [key, entry] of [...this.entries]) {
      if (entry.linger) clearTimeout(entry.linger);
      entry.refs = 0;
      this.retire(key, entry);
    }
  }
}
