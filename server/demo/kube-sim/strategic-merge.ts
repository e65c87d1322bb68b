import "server-only";
import { badRequest } from "./api-errors";
import { deepClone, isPlainObject } from "./json";

/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) for the built-in types the simulator
 * serves. Lists merge only where the Go types say `patchStrategy:"merge"` (containers by name, env by name, ports
 * by containerPort, ...); every other list is replaced, exactly like a JSON merge patch.
 */

export interface SmpSchema {
  fields?: Record<string, SmpSchema>;
  /** For maps of arbitrary keys (labels, annotations, ...). */
  values?: SmpSchema;
  list?: { mergeKey?: string; items?: SmpSchema };
}

const mergeList = (mergeKey: string | undefined, items?: SmpSchema): SmpSchema => ({ list: { mergeKey, items } });

const objectMeta: SmpSchema = {
  fields: {
    finalizers: mergeList(undefined),
    ownerReferences: mergeList("uid"),
  },
};

const container: SmpSchema = {
  fields: {
    env: mergeList("name"),
    ports: mergeList("containerPort"),
    volumeMounts: mergeList("mountPath"),
    volumeDevices: mergeList("devicePath"),
    resizePolicy: mergeList("resourceName"),
  },
};

const podSpec: SmpSchema = {
  fields: {
    containers: mergeList("name", container),
    initContainers: mergeList("name", container),
    ephemeralContainers: mergeList("name", container),
    volumes: mergeList("name"),
    imagePullSecrets: mergeList("name"),
    hostAliases: mergeList("ip"),
    topologySpreadConstraints: mergeList("topologyKey"),
    resourceClaims: mergeList("name"),
    schedulingGates: mergeList("name"),
  },
};

const podTemplateSpec: SmpSchema = { fields: { metadata: objectMeta, spec: podSpec } };

const conditions = mergeList("type");

export const SMP_SCHEMAS: Record<string, SmpSchema> = {
  Deployment: {
    fields: { metadata: objectMeta, spec: { fields: { template: podTemplateSpec } }, status: { fields: { conditions } } },
  },
  ReplicaSet: {
    fields: { metadata: objectMeta, spec: { fields: { template: podTemplateSpec } }, status: { fields: { conditions } } },
  },
  Pod: {
    fields: {
      metadata: objectMeta,
      spec: podSpec,
      status: { fields: { conditions, podIPs: mergeList("ip"), hostIPs: mergeList("ip") } },
    },
  },
  Namespace: { fields: { metadata: objectMeta, spec: { fields: { finalizers: mergeList(undefined) } } } },
  Node: {
    fields: { metadata: objectMeta, status: { fields: { conditions, addresses: mergeList("type") } } },
  },
  Event: { fields: { metadata: objectMeta } },
  Scale: { fields: { metadata: objectMeta } },
};

const DIRECTIVE = "$patch";
const SET_ORDER = "$setElementOrder/";
const DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
const RETAIN_KEYS = "$retainKeys";

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => !(isPlainObject(v) && v[DIRECTIVE] !== undefined && Object.keys(v).length === 1)).map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function mergeMap(original: Record<string, unknown>, patch: Record<string, unknown>, schema: SmpSchema | undefined): Record<string, unknown> | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === "delete") return undefined;
  if (directive === "replace") return stripDirectives(patch) as Record<string, unknown>;
  if (directive !== undefined && directive !== "merge") throw badRequest(`Unknown patch type: ${String(directive)}`);
  const result = deepClone(original);
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ORDER) || key.startsWith(DELETE_PRIMITIVE)) continue;
    const fieldSchema = schema?.fields?.[key] ?? schema?.values;
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value)) {
      const merged = mergeMap(isPlainObject(result[key]) ? result[key] : {}, value, fieldSchema);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      const listSchema = fieldSchema?.list;
      if (listSchema) result[key] = mergeLists(Array.isArray(result[key]) ? result[key] : [], value, listSchema);
      else result[key] = stripDirectives(value);
    } else {
      result[key] = value;
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_PRIMITIVE) && Array.isArray(value)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !value.includes(v));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(SET_ORDER) && Array.isArray(value)) {
      const field = key.slice(SET_ORDER.length);
      const current = result[field];
      const mergeKey = (schema?.fields?.[field] ?? schema?.values)?.list?.mergeKey;
      if (Array.isArray(current)) result[field] = reorder(current, value, mergeKey);
    }
  }
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function keyOf(item: unknown, mergeKey: string | undefined): unknown {
  return mergeKey && isPlainObject(item) ? item[mergeKey] : item;
}

function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keys = order.map((o) => keyOf(o, mergeKey));
  const ordered = [...list].sort((a, b) => {
    const ia = keys.indexOf(keyOf(a, mergeKey));
    const ib = keys.indexOf(keyOf(b, mergeKey));
    return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
  });
  return ordered;
}

function mergeLists(original: unknown[], patch: unknown[], schema: NonNullable<SmpSchema["list"]>): unknown[] {
  const replace = patch.find((p) => isPlainObject(p) && p[DIRECTIVE] === "replace");
  if (replace !== undefined) return stripDirectives(patch.filter((p) => p !== replace)) as unknown[];
  const { mergeKey } = schema;
  if (!mergeKey) {
    const result = [...original];
    for (const item of patch) if (!result.some((r) => r === item)) result.push(item);
    return result;
  }
  const result = original.map((o) => deepClone(o));
  for (const item of patch) {
    if (!isPlainObject(item)) throw badRequest(`unable to find api field in struct for the merge key "${mergeKey}"`);
    const key = item[mergeKey];
    if (key === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const idx = result.findIndex((r) => isPlainObject(r) && r[mergeKey] === key);
    if (item[DIRECTIVE] === "delete") {
      if (idx >= 0) result.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(result[idx] as Record<string, unknown>, item, schema.items);
      if (merged === undefined) result.splice(idx, 1);
      else result[idx] = merged;
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

export function applyStrategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isPlainObject(patch)) throw badRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
  const merged = mergeMap(isPlainObject(target) ? target : {}, patch, SMP_SCHEMAS[kind]);
  return merged ?? {};
}
