import "server-only";
import { logger } from "../shared/logger";
import { httpStatusOf, isUnreachable, watchFailure } from "./cluster-errors";
import type { ClusterGateway, WatchEvent, WatchHandle } from "./gateway";
import { objectKey, type KubeObjectOf, type WatchedResource } from "./kube-objects";
import { watchRestarted } from "./kube-telemetry";

/**
 * One LIST+WATCH of a resource in a namespace (or all namespaces) of one cluster, as client-go's reflector does
 * it: list, then watch from the list's resourceVersion with bookmarks; when the stream ends (client-node aborts
 * idle streams, networks drop) resume from the last resourceVersion seen; list again only on 410 Gone.
 */

export type InformerChange<R extends WatchedResource> =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: KubeObjectOf<R>; previous?: KubeObjectOf<R> | undefined }
  /** The whole cache was replaced (a LIST), or the informer's health changed. */
  | { type: "RESYNC" }
  | { type: "STATE" };

export type InformerStats = { lists: number; watches: number; relists: number; resumes: number };

export type InformerOptions = {
  /** Longest wait between reconnection attempts (default 30 s). */
  maxBackoffMs: number;
  /** When the cluster does not serve the resource, how long until it is asked again (default 5 min). */
  absentRetryMs: number;
};

export class Informer<R extends WatchedResource> {
  private readonly objects = new Map<string, KubeObjectOf<R>>();
  private resourceVersion = "";
  private handle: WatchHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private failures = 0;
  private needRelist = false;
  private stopped = false;
  private started = false;
  private waiters: Array<() => void> = [];
  private readonly listeners = new Set<(change: InformerChange<R>) => void>();
  synced = false;
  absent = false;
  lastError: unknown = null;
  readonly stats: InformerStats = { lists: 0, watches: 0, relists: 0, resumes: 0 };

  constructor(
    readonly gateway: ClusterGateway,
    readonly resource: R,
    readonly namespace: string | null,
    private readonly options: InformerOptions,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.list();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.handle?.stop();
    this.handle = undefined;
    this.listeners.clear();
    this.wake();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  subscribe(listener: (change: InformerChange<R>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  items(): Array<KubeObjectOf<R>> {
    return [...this.objects.values()];
  }

  /** Resolves once the first LIST finished or failed (or after `timeoutMs`). */
  whenSettled(timeoutMs: number): Promise<void> {
    if (this.synced || this.lastError || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const waiter = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(waiter);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private emit(change: InformerChange<R>): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A subscriber's failure is its own business.
      }
    }
  }

  private schedule(fn: () => void, ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(fn, ms);
    this.timer.unref();
  }

  private backoffMs(): number {
    this.failures++;
    return Math.min(this.options.maxBackoffMs, 250 * 2 ** (this.failures - 1));
  }

  private async list(): Promise<void> {
    if (this.stopped) return;
    this.stats.lists++;
    try {
      const list = await this.gateway.listObjects(this.resource, { namespace: this.namespace });
      if (this.stopped) return;
      this.objects.clear();
      for (const o of list.items) this.objects.set(objectKey(o), o);
      this.resourceVersion = list.resourceVersion;
      this.absent = list.absent === true;
      this.synced = true;
      this.lastError = null;
      this.failures = 0;
      this.wake();
      this.emit({ type: "RESYNC" });
      if (this.absent) this.schedule(() => void this.list(), this.options.absentRetryMs);
      else void this.watch();
    } catch (error) {
      if (this.stopped) return;
      this.lastError = error;
      this.wake();
      this.emit({ type: "STATE" });
      this.schedule(() => void this.list(), this.backoffMs());
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const attempt = ++this.attempt;
    this.stats.watches++;
    let closed = false;
    const onClose = (error: unknown) => {
      closed = true;
      if (attempt === this.attempt) this.onClosed(error);
    };
    try {
      const handle = await this.gateway.watchObjects(
        this.resource,
        { namespace: this.namespace, resourceVersion: this.resourceVersion },
        (e) => this.onEvent(attempt, e),
        onClose,
      );
      if (this.stopped || attempt !== this.attempt) {
        handle.stop();
        return;
      }
      this.handle = handle;
      if (!closed && this.lastError) {
        // Reconnected: the cache is current again.
        this.lastError = null;
        this.failures = 0;
        this.emit({ type: "STATE" });
      }
    } catch (error) {
      if (!closed) onClose(error);
    }
  }

  private onEvent(attempt: number, event: WatchEvent<R>): void {
    if (this.stopped || attempt !== this.attempt) return;
    switch (event.type) {
      case "BOOKMARK":
        if (event.resourceVersion) this.resourceVersion = event.resourceVersion;
        return;
      case "ERROR":
        if (event.code === 410) this.needRelist = true;
        else this.recordFailure(Object.assign(new Error(event.message || "watch error"), { statusCode: event.code }));
        return;
      default: {
        const key = objectKey(event.object);
        const previous = this.objects.get(key);
        if (event.type === "DELETED") this.objects.delete(key);
        else this.objects.set(key, event.object);
        if (event.object.metadata.resourceVersion) this.resourceVersion = event.object.metadata.resourceVersion;
        if (this.lastError) {
          this.lastError = null;
          this.failures = 0;
        }
        this.emit({ type: event.type, object: event.object, previous });
      }
    }
  }

  private onClosed(error: unknown): void {
    this.handle = undefined;
    if (this.stopped) return;
    if (this.needRelist || httpStatusOf(error) === 410) {
      this.needRelist = false;
      this.stats.relists++;
      watchRestarted(this.gateway.name, this.resource, "gone");
      void this.list();
      return;
    }
    const idle = error === null || (error as { name?: unknown }).name === "TimeoutError";
    if (idle && !this.lastError) {
      this.stats.resumes++;
      watchRestarted(this.gateway.name, this.resource, "expired");
      void this.watch();
      return;
    }
    const hadError = this.lastError !== null;
    if (error !== null && error !== undefined) this.recordFailure(error);
    if (!hadError) this.emit({ type: "STATE" });
    this.schedule(() => {
      this.stats.resumes++;
      watchRestarted(this.gateway.name, this.resource, "failed");
      void this.watch();
    }, this.backoffMs());
  }

  private describe(): string {
    return this.namespace === null ? `${this.resource} in every namespace` : `${this.resource} in namespace ${this.namespace}`;
  }

  /**
   * Keeps a watch failure as a typed cluster error (403 while an API server's authorizer warms up, 5xx while it
   * stops), logged once per new kind of failure rather than on every retry.
   */
  private recordFailure(error: unknown): void {
    const failure = watchFailure(this.gateway, error, this.describe());
    const previous = this.lastError as { status?: unknown; message?: unknown } | null;
    this.lastError = failure;
    if (previous?.status === failure.status && previous.message === failure.message) return;
    // Unknown errors were logged at error level by watchFailure; the expected kinds are worth a warning.
    const status = httpStatusOf(error);
    if (status === null && !isUnreachable(error)) return;
    const context = { cluster: this.gateway.name, resource: this.resource, namespace: this.namespace, status, reason: failure.message };
    logger().warn(context, "watch failed; retrying");
  }
}
