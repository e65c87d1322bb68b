import "server-only";
import { alreadyExists, badRequest, conflict, forbiddenMessage, internalError, invalid, notFound, STALE_OBJECT, unsupportedMediaType } from "./api-errors";
import { formatTime } from "./clock";
import { applyDefaults } from "./defaults";
import { deepClone, deepEqual, isPlainObject, stripNulls } from "./json";
import { applyJsonPatch, applyMergePatch } from "./patch";
import type { SeededRandom } from "./random";
import { apiVersionOf, NAMESPACES, PODS, REPLICASETS, type ResourceType } from "./resources";
import { fieldMatcher, formatLabelSelector, labelMatcher } from "./selectors";
import type { Store } from "./store";
import { applyStrategicMergePatch } from "./strategic-merge";
import type { KubeObject, StoredObject } from "./types";
import { validateObject } from "./validation";

/**
 * The apiserver's REST semantics on top of the store: defaulting, validation, optimistic concurrency, status
 * subresources, generation, patches, graceful pod deletion. Used by the HTTP layer and by `sim.apply()`.
 */

export const PATCH_TYPES = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: string;
}

export interface ListOptions {
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** Everything but metadata and status: what bumps a custom resource's generation. */
function specOf(o: KubeObject): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== "metadata" && k !== "status" && k !== "apiVersion" && k !== "kind") rest[k] = v;
  return rest;
}

/** Whether a change bumps metadata.generation, per the type's registry strategy. */
function generationChanged(rt: ResourceType, before: KubeObject, after: KubeObject): boolean {
  if (!rt.generation) return false;
  if (rt.custom) return !deepEqual(specOf(before), specOf(after));
  const changed = !deepEqual((before as { spec?: unknown }).spec, (after as { spec?: unknown }).spec);
  // Deployments also count annotation changes, because they are copied to ReplicaSets.
  if (rt.kind === "Deployment") return changed || !deepEqual(before.metadata.annotations ?? {}, after.metadata.annotations ?? {});
  return changed;
}

const SERVER_META = ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion"] as const;

export class Registry {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly random: SeededRandom,
  ) {}

  // ---- reads ----

  get<T extends StoredObject = StoredObject>(rt: ResourceType, namespace: string | undefined, name: string): T {
    const o = this.store.get<T>(rt, namespace, name);
    if (!o) throw notFound(rt, name);
    return o;
  }

  list(rt: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListBody {
    const matchLabels = labelMatcher(options.labelSelector);
    const matchFields = fieldMatcher(rt, options.fieldSelector);
    let items = this.store.list(rt, namespace).filter((o) => matchLabels(o.metadata.labels) && matchFields(o));
    const rv = String(this.store.currentResourceVersion());
    const metadata: ListBody["metadata"] = { resourceVersion: rv };
    if (options.continueToken) {
      let start = "";
      try {
        const decoded = JSON.parse(Buffer.from(options.continueToken, "base64").toString("utf8")) as { start?: unknown };
        start = typeof decoded.start === "string" ? decoded.start : "";
      } catch {
        throw badRequest("continue key is not valid: illegal base64 data");
      }
      items = items.filter((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}` > start);
    }
    if (options.limit && options.limit > 0 && items.length > options.limit) {
      const page = items.slice(0, options.limit);
      const last = page[page.length - 1];
      if (last) {
        const start = `${last.metadata.namespace ?? ""}/${last.metadata.name}`;
        metadata.continue = Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: Number(rv), start })).toString("base64");
        metadata.remainingItemCount = items.length - page.length;
      }
      items = page;
    }
    return {
      kind: `${rt.kind}List`,
      apiVersion: apiVersionOf(rt),
      metadata,
      // The apiserver omits kind/apiVersion on the items of built-in lists; custom resources keep them.
      items: items.map((o) => (rt.custom ? o : withoutTypeMeta(o))),
    };
  }

  // ---- writes ----

  create<T extends StoredObject = StoredObject>(rt: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): T {
    const object = this.checkBody(rt, body);
    if (rt.namespaced) {
      const ns = namespace ?? object.metadata.namespace;
      if (object.metadata.namespace && ns && object.metadata.namespace !== ns) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      if (!ns) throw badRequest("the namespace of the object is missing");
      object.metadata.namespace = ns;
      this.checkNamespaceWritable(ns);
    } else {
      delete object.metadata.namespace;
    }
    if (object.metadata.resourceVersion) throw internalError("resourceVersion should not be set on objects to be created");
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${this.random.nameSuffix()}`;
    }
    const name = object.metadata.name ?? "";
    applyDefaults(rt.kind, object);
    validateObject(rt, object);
    if (this.store.get(rt, object.metadata.namespace, name)) throw alreadyExists(rt, name);
    for (const key of SERVER_META) delete object.metadata[key];
    object.metadata.uid = this.random.uuid();
    object.metadata.creationTimestamp = formatTime(this.now());
    if (rt.generation) object.metadata.generation = 1;
    this.resetStatusOnCreate(rt, object);
    if (options.dryRun) return { ...object, apiVersion: apiVersionOf(rt), kind: rt.kind } as T;
    return this.store.insert<T>(rt, object);
  }

  update<T extends StoredObject = StoredObject>(rt: ResourceType, namespace: string | undefined, name: string, body: unknown, options: WriteOptions = {}): T {
    const object = this.checkBody(rt, body);
    if (object.metadata.name && object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (rt.namespaced && object.metadata.namespace && object.metadata.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    const existing = this.get(rt, namespace, name);
    const rv = object.metadata.resourceVersion;
    if (!rv && rt.custom) {
      throw invalid(rt.kind, rt.group, name, [
        { type: "FieldValueInvalid", field: "metadata.resourceVersion", value: 0, detail: "must be specified for an update" },
      ]);
    }
    if (rv && rv !== existing.metadata.resourceVersion) throw conflict(rt, name, STALE_OBJECT);
    return this.commit<T>(rt, existing, object, options);
  }

  patch<T extends StoredObject = StoredObject>(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    contentType: string,
    options: WriteOptions & { fieldManager?: string } = {},
  ): T {
    const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const accepted =
      rt.custom || options.subresource === "scale"
        ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
        : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply, PATCH_TYPES.strategic];
    if (!accepted.includes(type as (typeof accepted)[number])) throw unsupportedMediaType(accepted);
    if (type === PATCH_TYPES.apply) return this.serverSideApply<T>(rt, namespace, name, patch, options);
    const existing = this.get(rt, namespace, name);
    const base = deepClone(existing) as KubeObject;
    let patched: unknown;
    if (type === PATCH_TYPES.json) patched = applyJsonPatch(base, patch);
    else if (type === PATCH_TYPES.merge) {
      if (!isPlainObject(patch)) throw badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
      patched = applyMergePatch(base, patch);
    } else patched = applyStrategicMergePatch(base, patch, rt.kind);
    const object = this.checkBody(rt, patched);
    if (object.metadata.name !== name)
      throw badRequest(`the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`);
    if (object.metadata.resourceVersion && object.metadata.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(rt, name, STALE_OBJECT);
    }
    if (object.metadata.uid && object.metadata.uid !== existing.metadata.uid) {
      throw conflict(rt, name, `Precondition failed: UID in precondition: ${object.metadata.uid}, UID in object meta: ${existing.metadata.uid}`);
    }
    return this.commit<T>(rt, existing, object, options);
  }

  /**
   * Server-side apply, simplified: creates when missing, otherwise merges the applied configuration (strategic
   * merge for built-ins, JSON merge for custom resources). Field ownership and conflicts are not tracked.
   */
  private serverSideApply<T extends StoredObject>(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions & { fieldManager?: string },
  ): T {
    if (!options.fieldManager) {
      throw invalid("PatchOptions", "meta.k8s.io", "", [{ type: "FieldValueRequired", field: "fieldManager", detail: "is required for apply patch" }]);
    }
    const existing = this.store.get(rt, namespace, name);
    if (!existing) {
      const body = deepClone(patch) as KubeObject;
      if (!isPlainObject(body)) throw badRequest("invalid apply configuration");
      body.metadata = { ...(body.metadata ?? {}), name };
      return this.create<T>(rt, namespace, body, options);
    }
    const merged = rt.custom ? applyMergePatch(deepClone(existing), patch) : applyStrategicMergePatch(deepClone(existing), patch, rt.kind);
    const object = this.checkBody(rt, merged);
    object.metadata.resourceVersion = existing.metadata.resourceVersion;
    return this.commit<T>(rt, existing, object, options);
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const existing = this.get(rt, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(rt, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const success = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name, ...(rt.group ? { group: rt.group } : {}), kind: rt.plural, uid: existing.metadata.uid },
    } as unknown as KubeObject;
    if (rt === PODS) return this.deletePod(existing, options);
    if (rt === NAMESPACES) {
      if (existing.metadata.deletionTimestamp) return existing;
      const terminating = deepClone(existing) as KubeObject & { status?: Record<string, unknown> };
      terminating.metadata.deletionTimestamp = formatTime(this.now());
      terminating.status = { ...(terminating.status ?? {}), phase: "Terminating" };
      if (options.dryRun) return terminating;
      return this.store.replace(rt, terminating);
    }
    if (options.dryRun) return rt.custom ? existing : success;
    if (options.propagationPolicy === "Orphan") this.orphanDependents(existing.metadata.uid);
    const gone = this.store.remove(rt, namespace, name);
    return rt.custom ? (gone ?? existing) : success;
  }

  deleteCollection(rt: ResourceType, namespace: string | undefined, list: ListOptions, options: DeleteOptions = {}): ListBody {
    const body = this.list(rt, namespace, list);
    const items = body.items.map((o) => this.delete(rt, o.metadata.namespace, o.metadata.name ?? "", options));
    return { ...body, items: items.filter((i) => i.kind !== "Status") };
  }

  // ---- scale subresource ----

  getScale(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.get(rt, namespace, name) as StoredObject & { spec?: { replicas?: number; selector?: unknown }; status?: Record<string, unknown> };
    const statusReplicas = rt.custom ? o.status?.HPAReplicas : o.status?.replicas;
    const selector = rt.custom ? o.status?.selector : formatLabelSelector(o.spec?.selector as never);
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        uid: o.metadata.uid,
        resourceVersion: o.metadata.resourceVersion,
        creationTimestamp: o.metadata.creationTimestamp,
      },
      spec: { replicas: o.spec?.replicas ?? 0 },
      status: { replicas: typeof statusReplicas === "number" ? statusReplicas : 0, ...(selector ? { selector } : {}) },
    };
  }

  writeScale(rt: ResourceType, namespace: string | undefined, name: string, scale: unknown, options: WriteOptions = {}): KubeObject {
    if (!isPlainObject(scale) || !isPlainObject(scale.spec)) throw badRequest("the body of the request is not a Scale");
    const replicas = scale.spec.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid("Scale", "autoscaling", name, [
        { type: "FieldValueInvalid", field: "spec.replicas", value: replicas, detail: "must be greater than or equal to 0" },
      ]);
    }
    const existing = this.get(rt, namespace, name);
    const meta = isPlainObject(scale.metadata) ? scale.metadata : {};
    if (typeof meta.resourceVersion === "string" && meta.resourceVersion && meta.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict({ group: "autoscaling", plural: "scale" }, name, STALE_OBJECT);
    }
    const next = deepClone(existing) as KubeObject & { spec: Record<string, unknown> };
    next.spec.replicas = replicas;
    if (!options.dryRun) this.commit(rt, existing, next, {});
    return this.getScale(rt, namespace, name);
  }

  patchScale(rt: ResourceType, namespace: string | undefined, name: string, patch: unknown, contentType: string, options: WriteOptions = {}): KubeObject {
    const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const current = this.getScale(rt, namespace, name);
    let patched: unknown;
    if (type === PATCH_TYPES.json) patched = applyJsonPatch(current, patch);
    else if (type === PATCH_TYPES.merge) patched = applyMergePatch(current, patch);
    else if (type === PATCH_TYPES.strategic) patched = applyStrategicMergePatch(current, patch, "Scale");
    else throw unsupportedMediaType([PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic]);
    return this.writeScale(rt, namespace, name, patched, options);
  }

  // ---- controller access ----

  /**
   * A controller's write, bypassing validation and concurrency checks. `status` writes may change status and
   * metadata but never spec and never bump generation (like UpdateStatus); other writes keep the stored status.
   */
  controllerWrite<T extends StoredObject>(rt: ResourceType, object: KubeObject, mode: "spec" | "status"): T {
    const existing = this.store.get(rt, object.metadata.namespace, object.metadata.name ?? "");
    if (!existing) throw notFound(rt, object.metadata.name ?? "");
    const next = deepClone(object);
    if (mode === "status") {
      (next as Record<string, unknown>).spec = deepClone((existing as Record<string, unknown>).spec);
      next.metadata.generation = existing.metadata.generation;
    } else {
      if (rt.subresources.includes("status")) (next as Record<string, unknown>).status = deepClone((existing as Record<string, unknown>).status);
      next.metadata.generation = existing.metadata.generation;
      if (generationChanged(rt, existing, next)) next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    return this.store.replace<T>(rt, next);
  }

  controllerCreate<T extends StoredObject>(rt: ResourceType, object: KubeObject): T {
    const o = deepClone(object);
    applyDefaults(rt.kind, o);
    o.metadata.uid = this.random.uuid();
    o.metadata.creationTimestamp = formatTime(this.now());
    if (rt.generation) o.metadata.generation = 1;
    return this.store.insert<T>(rt, o);
  }

  controllerRemove(rt: ResourceType, namespace: string | undefined, name: string): void {
    this.store.remove(rt, namespace, name);
  }

  // ---- helpers ----

  private checkBody(rt: ResourceType, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw badRequest(`Object '${rt.kind}' is missing in '${JSON.stringify(body) ?? ""}'`);
    const object = stripNulls(deepClone(body)) as KubeObject;
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(rt)) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersionOf(rt)})`);
    }
    if (object.kind !== undefined && object.kind !== rt.kind) {
      throw badRequest(
        `${String(object.kind)} in version "${rt.version}" cannot be handled as a ${rt.kind}: no kind "${String(object.kind)}" is registered for version "${apiVersionOf(rt)}"`,
      );
    }
    if (!isPlainObject(object.metadata)) object.metadata = {};
    object.apiVersion = apiVersionOf(rt);
    object.kind = rt.kind;
    return object;
  }

  private checkNamespaceWritable(namespace: string): void {
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbiddenMessage(`unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  private resetStatusOnCreate(rt: ResourceType, object: KubeObject): void {
    const o = object as Record<string, unknown>;
    if (rt.kind === "Pod") o.status = { phase: "Pending", qosClass: qosClass(object) };
    else if (rt.kind === "Namespace") o.status = { phase: "Active" };
    else if (rt.subresources.includes("status") && rt.kind !== "Node") delete o.status;
  }

  private commit<T extends StoredObject>(rt: ResourceType, existing: StoredObject, object: KubeObject, options: WriteOptions): T {
    const sub = options.subresource;
    let next: KubeObject;
    if (sub === "status") {
      next = deepClone(existing) as KubeObject;
      (next as Record<string, unknown>).status = deepClone((object as Record<string, unknown>).status);
    } else {
      next = object;
      if (rt.subresources.includes("status")) (next as Record<string, unknown>).status = deepClone((existing as Record<string, unknown>).status);
      for (const key of SERVER_META) {
        if (existing.metadata[key] === undefined) delete next.metadata[key];
        else next.metadata[key] = existing.metadata[key] as never;
      }
      next.metadata.namespace = existing.metadata.namespace;
      applyDefaults(rt.kind, next);
      if (rt.kind === "Namespace") (next as Record<string, unknown>).status = deepClone((existing as Record<string, unknown>).status);
      validateObject(rt, next, existing);
      if (generationChanged(rt, existing, next)) next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    }
    if (options.dryRun) return { ...next, metadata: { ...next.metadata, resourceVersion: existing.metadata.resourceVersion } } as T;
    return this.store.replace<T>(rt, next);
  }

  private deletePod(existing: StoredObject, options: DeleteOptions): KubeObject {
    const spec = (existing as { spec?: { nodeName?: string; terminationGracePeriodSeconds?: number } }).spec ?? {};
    const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    if (!spec.nodeName || grace === 0) {
      if (options.dryRun) return existing;
      return this.store.remove(PODS, existing.metadata.namespace, existing.metadata.name) ?? existing;
    }
    if (existing.metadata.deletionTimestamp) return existing;
    const next = deepClone(existing) as KubeObject;
    next.metadata.deletionTimestamp = formatTime(this.now() + grace * 1000);
    next.metadata.deletionGracePeriodSeconds = grace;
    if (options.dryRun) return next;
    return this.store.replace(PODS, next);
  }

  private orphanDependents(uid: string): void {
    for (const rt of [PODS, REPLICASETS]) {
      for (const o of this.store.list(rt)) {
        const refs = o.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === uid)) continue;
        const next = deepClone(o) as KubeObject;
        next.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.store.replace(rt, next);
      }
    }
  }
}

function withoutTypeMeta(o: KubeObject): KubeObject {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k !== "apiVersion" && k !== "kind") rest[k] = v;
  return rest as KubeObject;
}

export function qosClass(object: KubeObject): string {
  const spec = (object as { spec?: { containers?: Array<{ resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }> } }).spec;
  const containers = spec?.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ["cpu", "memory"]) {
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}
