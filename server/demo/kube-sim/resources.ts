import "server-only";
import type { KubeObject } from "./types";

/** The resource types the simulator serves, described the way discovery describes them. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
  /** Custom resources (CRDs): no strategic merge patch, list items carry kind/apiVersion. */
  custom: boolean;
  /** metadata.generation is maintained (bumped on spec changes). */
  generation: boolean;
  /** Field selectors beyond metadata.name / metadata.namespace. */
  fieldLabels: Record<string, (obj: KubeObject) => string | undefined>;
}

const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function str(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value);
}

function path(obj: KubeObject, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export const RESOURCES: ResourceType[] = [
  {
    group: "",
    version: "v1",
    plural: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    namespaced: false,
    shortNames: ["ns"],
    categories: [],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    subresources: ["status"],
    custom: false,
    generation: false,
    fieldLabels: { "status.phase": (o) => str(path(o, "status", "phase")) },
  },
  {
    group: "",
    version: "v1",
    plural: "nodes",
    singular: "node",
    kind: "Node",
    namespaced: false,
    shortNames: ["no"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: ["status"],
    custom: false,
    generation: false,
    fieldLabels: { "spec.unschedulable": (o) => String(path(o, "spec", "unschedulable") === true) },
  },
  {
    group: "",
    version: "v1",
    plural: "pods",
    singular: "pod",
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: ["status", "log"],
    custom: false,
    generation: false,
    fieldLabels: {
      "spec.nodeName": (o) => str(path(o, "spec", "nodeName")) ?? "",
      "spec.restartPolicy": (o) => str(path(o, "spec", "restartPolicy")),
      "spec.schedulerName": (o) => str(path(o, "spec", "schedulerName")),
      "spec.serviceAccountName": (o) => str(path(o, "spec", "serviceAccountName")),
      "spec.hostNetwork": (o) => String(path(o, "spec", "hostNetwork") === true),
      "status.phase": (o) => str(path(o, "status", "phase")),
      "status.podIP": (o) => str(path(o, "status", "podIP")) ?? "",
      "status.nominatedNodeName": (o) => str(path(o, "status", "nominatedNodeName")) ?? "",
    },
  },
  {
    group: "",
    version: "v1",
    plural: "events",
    singular: "event",
    kind: "Event",
    namespaced: true,
    shortNames: ["ev"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: [],
    custom: false,
    generation: false,
    fieldLabels: {
      "involvedObject.kind": (o) => str(path(o, "involvedObject", "kind")) ?? "",
      "involvedObject.namespace": (o) => str(path(o, "involvedObject", "namespace")) ?? "",
      "involvedObject.name": (o) => str(path(o, "involvedObject", "name")) ?? "",
      "involvedObject.uid": (o) => str(path(o, "involvedObject", "uid")) ?? "",
      "involvedObject.apiVersion": (o) => str(path(o, "involvedObject", "apiVersion")) ?? "",
      "involvedObject.resourceVersion": (o) => str(path(o, "involvedObject", "resourceVersion")) ?? "",
      "involvedObject.fieldPath": (o) => str(path(o, "involvedObject", "fieldPath")) ?? "",
      reason: (o) => str(path(o, "reason")) ?? "",
      reportingComponent: (o) => str(path(o, "reportingComponent")) ?? "",
      source: (o) => str(path(o, "source", "component")) ?? "",
      type: (o) => str(path(o, "type")) ?? "",
    },
  },
  {
    group: "apps",
    version: "v1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: ["status", "scale"],
    custom: false,
    generation: true,
    fieldLabels: {},
  },
  {
    group: "apps",
    version: "v1",
    plural: "replicasets",
    singular: "replicaset",
    kind: "ReplicaSet",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    verbs: ALL_VERBS,
    subresources: ["status", "scale"],
    custom: false,
    generation: true,
    fieldLabels: { "status.replicas": (o) => str(path(o, "status", "replicas")) ?? "0" },
  },
  {
    group: "argoproj.io",
    version: "v1alpha1",
    plural: "rollouts",
    singular: "rollout",
    kind: "Rollout",
    namespaced: true,
    shortNames: ["ro"],
    categories: [],
    verbs: ALL_VERBS,
    subresources: ["status", "scale"],
    custom: true,
    generation: true,
    fieldLabels: {},
  },
];

export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function resourceKey(rt: ResourceType): string {
  return `${rt.group}/${rt.plural}`;
}

/** "deployments.apps", "pods", "rollouts.argoproj.io": how error messages name a resource. */
export function qualifiedResource(rt: { group: string; plural: string }): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findResourceByKind(apiVersion: string | undefined, kind: string | undefined): ResourceType | undefined {
  return RESOURCES.find((r) => r.kind === kind && (apiVersion === undefined || apiVersionOf(r) === apiVersion));
}

export function resourceByPlural(plural: string): ResourceType {
  const rt = RESOURCES.find((r) => r.plural === plural);
  if (!rt) throw new Error(`unknown resource ${plural}`);
  return rt;
}

export const NAMESPACES = resourceByPlural("namespaces");
export const NODES = resourceByPlural("nodes");
export const PODS = resourceByPlural("pods");
export const EVENTS = resourceByPlural("events");
export const DEPLOYMENTS = resourceByPlural("deployments");
export const REPLICASETS = resourceByPlural("replicasets");
export const ROLLOUTS = resourceByPlural("rollouts");
