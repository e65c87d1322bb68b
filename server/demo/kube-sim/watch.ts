import "server-only";
import type { ServerResponse } from "node:http";
import { gone, type StatusBody } from "./api-errors";
import type { FieldMatcher, LabelMatcher } from "./selectors";
import { apiVersionOf, type ResourceType } from "./resources";
import type { Change, Store } from "./store";
import type { StoredObject } from "./types";

/**
 * Watch streams: newline-delimited JSON events over a chunked response, replayed from the store's history when
 * the client resumes from a resourceVersion, with the watch cache's rules for objects entering or leaving a
 * selector (a MODIFIED that stops matching is a DELETED carrying the previous object).
 */

export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  matchLabels: LabelMatcher;
  matchFields: FieldMatcher;
  /** undefined or 0: start with ADDED events for everything that exists. */
  resourceVersion?: number;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  /** sendInitialEvents=true (watch-list): end the initial ADDED events with an annotated BOOKMARK. */
  sendInitialEvents?: boolean;
  /** Re-encodes objects (e.g. as a one-row Table for `kubectl get -w`). */
  encode?: (object: StoredObject) => unknown;
}

interface Watcher extends WatchRequest {
  res: ServerResponse;
  nextBookmark: number;
  /** Simulated time at which the server ends the stream (its own timeout when the client named none). */
  closeAt?: number;
  timer?: NodeJS.Timeout;
  closed: boolean;
  /** Set while the client reads slower than events arrive: one wait for its drain, however many writes queue up. */
  draining?: boolean;
}

export interface WatchHubOptions {
  /** Whether BOOKMARK events are ever sent; a 1.20 API server sends none, whatever the client allows. */
  bookmarks: boolean;
  /** Simulated time between BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs: number;
  /** Simulated time after which the server ends a watch whose client named no timeoutSeconds (undefined: never). */
  watchTimeoutMs?: number | undefined;
}

type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly pendingDrains = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly wakeAt: (at: number) => void,
    private readonly options: WatchHubOptions,
  ) {
    this.unsubscribe = store.subscribe((change) => this.onChange(change));
  }

  open(res: ServerResponse, request: WatchRequest): void {
    const allowBookmarks = request.allowBookmarks && this.options.bookmarks;
    const watcher: Watcher = { ...request, allowBookmarks, res, nextBookmark: this.now() + this.options.bookmarkIntervalMs, closed: false };
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Transfer-Encoding": "chunked",
    });
    res.flushHeaders();
    const rv = request.resourceVersion;
    if (rv !== undefined && rv > 0 && !this.store.canResumeFrom(rv)) {
      const status: StatusBody = gone(`too old resource version: ${rv} (${this.store.oldestResumable()})`).status;
      this.write(watcher, "ERROR", status);
      res.end();
      return;
    }
    if (rv !== undefined && rv > 0) {
      for (const change of this.store.changesSince(rv)) if (change.rt === request.rt) this.deliver(watcher, change);
    } else {
      for (const o of this.store.list(request.rt, request.namespace)) {
        if (this.matches(watcher, o)) this.write(watcher, "ADDED", o);
      }
      if (request.sendInitialEvents && allowBookmarks) {
        this.write(watcher, "BOOKMARK", {
          kind: request.rt.kind,
          apiVersion: apiVersionOf(request.rt),
          metadata: { resourceVersion: String(this.store.currentResourceVersion()), annotations: { "k8s.io/initial-events-end": "true" } },
        });
      }
    }
    this.watchers.add(watcher);
    if (allowBookmarks) this.wakeAt(watcher.nextBookmark);
    const close = () => this.close(watcher);
    res.on("close", close);
    if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
      watcher.timer = setTimeout(() => {
        this.close(watcher);
        res.end();
      }, request.timeoutSeconds * 1000);
      watcher.timer.unref();
    } else if (this.options.watchTimeoutMs !== undefined) {
      watcher.closeAt = this.now() + this.options.watchTimeoutMs;
      this.wakeAt(watcher.closeAt);
    }
  }

  /** Ends timed-out watches and sends due BOOKMARK events (simulated time), asking the clock to come back for the next ones. */
  tick(now: number): void {
    const rv = String(this.store.currentResourceVersion());
    for (const w of [...this.watchers]) {
      if (w.closeAt !== undefined && now >= w.closeAt) {
        this.close(w);
        w.res.end();
        continue;
      }
      if (!w.allowBookmarks) continue;
      if (now >= w.nextBookmark) {
        this.write(w, "BOOKMARK", { kind: w.rt.kind, apiVersion: apiVersionOf(w.rt), metadata: { resourceVersion: rv } });
        w.nextBookmark = now + this.options.bookmarkIntervalMs;
      }
      this.wakeAt(w.nextBookmark);
    }
  }

  /** Resolves when every event written so far has been handed to the sockets. */
  async flush(): Promise<void> {
    while (this.pendingDrains.size > 0) await Promise.all([...this.pendingDrains]);
    await new Promise((resolve) => setImmediate(resolve));
  }

  count(): number {
    return this.watchers.size;
  }

  /** Ends every watch (used on stop, and with destroy=true to simulate a dead network). */
  closeAll(destroy: boolean): void {
    for (const w of [...this.watchers]) {
      this.close(w);
      if (destroy) w.res.socket?.destroy();
      else w.res.end();
    }
  }

  dispose(): void {
    this.closeAll(false);
    this.unsubscribe();
  }

  private close(w: Watcher): void {
    if (w.closed) return;
    w.closed = true;
    if (w.timer) clearTimeout(w.timer);
    this.watchers.delete(w);
  }

  private matches(w: WatchRequest, o: StoredObject): boolean {
    if (w.namespace !== undefined && o.metadata.namespace !== w.namespace) return false;
    return w.matchLabels(o.metadata.labels) && w.matchFields(o);
  }

  private onChange(change: Change): void {
    for (const w of this.watchers) if (w.rt === change.rt) this.deliver(w, change);
  }

  private deliver(w: Watcher, change: Change): void {
    const current = change.type !== "DELETED" && this.matches(w, change.object);
    const before = change.previous !== undefined && this.matches(w, change.previous);
    if (change.type === "DELETED") {
      if (before) this.write(w, "DELETED", change.object);
      return;
    }
    if (current && !before) this.write(w, "ADDED", change.object);
    else if (current && before) this.write(w, "MODIFIED", change.object);
    else if (!current && before && change.previous) {
      const previous = { ...change.previous, metadata: { ...change.previous.metadata, resourceVersion: String(change.rv) } };
      this.write(w, "DELETED", previous);
    }
  }

  private write(w: Watcher, type: WatchEventType, object: unknown): void {
    if (w.res.writableEnded || w.res.destroyed) return;
    if (w.encode && (type === "ADDED" || type === "MODIFIED" || type === "DELETED")) object = w.encode(object as StoredObject);
    const ok = w.res.write(`${JSON.stringify({ type, object })}\n`);
    if (!ok && !w.draining) {
      w.draining = true;
      const drained = new Promise<void>((resolve) => {
        const done = () => {
          w.res.off("drain", done);
          w.res.off("close", done);
          w.draining = false;
          resolve();
        };
        w.res.on("drain", done);
        w.res.on("close", done);
      });
      this.pendingDrains.add(drained);
      void drained.then(() => this.pendingDrains.delete(drained));
    }
  }
}
