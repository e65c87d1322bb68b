import "server-only";
import type { Registry } from "./registry";
import { DEPLOYMENTS, NAMESPACES, PODS, REPLICASETS, RESOURCES, ROLLOUTS } from "./resources";
import type { Store } from "./store";

/**
 * The garbage collector (background propagation) and the namespace controller: dependents whose owner is gone
 * are deleted, and a Terminating namespace is emptied and then removed.
 */
export class GarbageCollector {
  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
  ) {}

  reconcile(): void {
    const owners = new Set<string>();
    for (const rt of [DEPLOYMENTS, ROLLOUTS, REPLICASETS]) for (const o of this.store.list(rt)) owners.add(o.metadata.uid);
    for (const rt of [REPLICASETS, PODS]) {
      for (const o of this.store.list(rt)) {
        const refs = o.metadata.ownerReferences ?? [];
        if (refs.length > 0 && refs.every((r) => !owners.has(r.uid))) {
          if (rt === PODS) this.registry.delete(PODS, o.metadata.namespace, o.metadata.name);
          else this.registry.controllerRemove(rt, o.metadata.namespace, o.metadata.name);
        }
      }
    }
    for (const ns of this.store.list(NAMESPACES)) {
      if (!ns.metadata.deletionTimestamp) continue;
      let remaining = 0;
      for (const rt of RESOURCES) {
        if (!rt.namespaced) continue;
        for (const o of this.store.list(rt, ns.metadata.name)) {
          remaining++;
          this.registry.controllerRemove(rt, o.metadata.namespace, o.metadata.name);
        }
      }
      if (remaining === 0) this.registry.controllerRemove(NAMESPACES, undefined, ns.metadata.name);
    }
  }
}
