import "server-only";
import { formatTime } from "./clock";
import { deepClone } from "./json";
import type { Registry } from "./registry";
import { EVENTS, NAMESPACES } from "./resources";
import type { Store } from "./store";
import type { KubeObject, StoredObject } from "./types";

/**
 * core/v1 Events as client-go's EventRecorder writes them: one Event per (object, type, reason, message, source),
 * repeated occurrences bump `count` and `lastTimestamp` instead of creating new objects.
 */

export interface EventSource {
  component: string;
  host?: string;
}

export const EVENT_TTL_MS = 60 * 60 * 1000;

export class EventRecorder {
  private readonly byKey = new Map<string, string>();
  private sequence = 0;
  private lastExpiry = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly now: () => number,
  ) {}

  normal(involved: StoredObject, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    this.record(involved, "Normal", reason, message, source, fieldPath);
  }

  warning(involved: StoredObject, reason: string, message: string, source: EventSource, fieldPath?: string): void {
    this.record(involved, "Warning", reason, message, source, fieldPath);
  }

  private record(involved: StoredObject, type: "Normal" | "Warning", reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const namespace = involved.metadata.namespace ?? "default";
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const key = [involved.metadata.uid, type, reason, message, source.component, source.host ?? "", fieldPath ?? ""].join("\u0000");
    const now = formatTime(this.now());
    const existingName = this.byKey.get(key);
    const existing = existingName ? this.store.get(EVENTS, namespace, existingName) : undefined;
    if (existing) {
      const next = deepClone(existing) as KubeObject & { count?: number; lastTimestamp?: string };
      next.count = (next.count ?? 1) + 1;
      next.lastTimestamp = now;
      this.registry.controllerWrite(EVENTS, next, "spec");
      return;
    }
    const name = `${involved.metadata.name}.${(this.now() * 1_000_000 + ++this.sequence * 1000).toString(16)}`;
    const event: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    };
    this.registry.controllerCreate(EVENTS, event);
    this.byKey.set(key, name);
  }

  /** Events expire an hour after their last occurrence (the apiserver's --event-ttl). */
  expire(now: number): void {
    if (now - this.lastExpiry < 60_000) return;
    this.lastExpiry = now;
    for (const e of this.store.list(EVENTS)) {
      const last = Date.parse(String((e as { lastTimestamp?: string }).lastTimestamp ?? e.metadata.creationTimestamp));
      if (Number.isFinite(last) && last + EVENT_TTL_MS < now) this.registry.controllerRemove(EVENTS, e.metadata.namespace, e.metadata.name);
    }
  }
}
