import "server-only";
import { parseTime } from "./clock";
import type { ResourceType } from "./resources";
import type { KubeObject, StoredObject } from "./types";

/** Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for. */

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: string;
  description: string;
  cell: (o: Obj, now: number) => string | number;
}

type Obj = KubeObject;

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const key of path) cur = typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

const num = (o: unknown, ...path: string[]): number => {
  const v = get(o, ...path);
  return typeof v === "number" ? v : 0;
};

const list = <T>(o: unknown, ...path: string[]): T[] => {
  const v = get(o, ...path);
  return Array.isArray(v) ? (v as T[]) : [];
};

/** apimachinery duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const age = (o: Obj, now: number) => humanDuration(now - (parseTime(o.metadata.creationTimestamp) ?? now));
const name: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  cell: (o) => o.metadata.name ?? "",
};
const ageCol: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  cell: age,
};

function podStatus(o: Obj): string {
  if (o.metadata.deletionTimestamp) return "Terminating";
  for (const c of list<{ state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }>(o, "status", "containerStatuses")) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
    if (c.state?.terminated?.reason) return c.state.terminated.reason;
  }
  return String(get(o, "status", "phase") ?? "Pending");
}

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    name,
    {
      name: "Ready",
      type: "string",
      description: "Number of the pod with ready state",
      cell: (o) => `${num(o, "status", "readyReplicas")}/${num(o, "spec", "replicas")}`,
    },
    {
      name: "Up-to-date",
      type: "integer",
      description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
      cell: (o) => num(o, "status", "updatedReplicas"),
    },
    {
      name: "Available",
      type: "integer",
      description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      cell: (o) => num(o, "status", "availableReplicas"),
    },
    ageCol,
  ],
  ReplicaSet: [
    name,
    { name: "Desired", type: "integer", description: "Number of desired pods.", cell: (o) => num(o, "spec", "replicas") },
    { name: "Current", type: "integer", description: "Number of actual pods.", cell: (o) => num(o, "status", "replicas") },
    { name: "Ready", type: "integer", description: "Number of pods ready.", cell: (o) => num(o, "status", "readyReplicas") },
    ageCol,
  ],
  Pod: [
    name,
    {
      name: "Ready",
      type: "string",
      description: "The aggregate readiness state of this pod for accepting traffic.",
      cell: (o) => {
        const cs = list<{ ready?: boolean }>(o, "status", "containerStatuses");
        return `${cs.filter((c) => c.ready).length}/${list(o, "spec", "containers").length}`;
      },
    },
    { name: "Status", type: "string", description: "The aggregate status of the containers in this pod.", cell: podStatus },
    {
      name: "Restarts",
      type: "string",
      description: "The number of times the containers in this pod have been restarted.",
      cell: (o) => String(list<{ restartCount?: number }>(o, "status", "containerStatuses").reduce((n, c) => n + (c.restartCount ?? 0), 0)),
    },
    ageCol,
  ],
  Rollout: [
    name,
    {
      name: "Desired",
      type: "integer",
      description: "Number of desired pods",
      cell: (o) => (typeof get(o, "spec", "replicas") === "number" ? num(o, "spec", "replicas") : 1),
    },
    {
      name: "Current",
      type: "integer",
      description: "Total number of non-terminated pods targeted by this rollout",
      cell: (o) => num(o, "status", "replicas"),
    },
    {
      name: "Up-to-date",
      type: "integer",
      description: "Total number of non-terminated pods targeted by this rollout that have the desired template spec",
      cell: (o) => num(o, "status", "updatedReplicas"),
    },
    {
      name: "Available",
      type: "integer",
      description: "Total number of available pods (ready for at least minReadySeconds) targeted by this rollout",
      cell: (o) => num(o, "status", "availableReplicas"),
    },
    ageCol,
  ],
  Namespace: [
    name,
    { name: "Status", type: "string", description: "The status of the namespace", cell: (o) => String(get(o, "status", "phase") ?? "Active") },
    ageCol,
  ],
  Node: [
    name,
    { name: "Status", type: "string", description: "The status of the node", cell: () => "Ready" },
    { name: "Roles", type: "string", description: "The roles of the node", cell: () => "<none>" },
    ageCol,
    {
      name: "Version",
      type: "string",
      description: "Kubelet Version reported by the node.",
      cell: (o) => String(get(o, "status", "nodeInfo", "kubeletVersion") ?? ""),
    },
  ],
  Event: [
    {
      name: "Last Seen",
      type: "string",
      description: "Time since the last occurrence",
      cell: (o, now) => humanDuration(now - (parseTime((o as { lastTimestamp?: string }).lastTimestamp) ?? now)),
    },
    { name: "Type", type: "string", description: "Type of this event", cell: (o) => String((o as { type?: string }).type ?? "") },
    { name: "Reason", type: "string", description: "Short, machine understandable string", cell: (o) => String((o as { reason?: string }).reason ?? "") },
    {
      name: "Object",
      type: "string",
      description: "The object this event is about",
      cell: (o) => {
        const io = (o as { involvedObject?: { kind?: string; name?: string } }).involvedObject;
        return `${(io?.kind ?? "").toLowerCase()}/${io?.name ?? ""}`;
      },
    },
    {
      name: "Message",
      type: "string",
      description: "A human-readable description of the status of this operation",
      cell: (o) => String((o as { message?: string }).message ?? ""),
    },
  ],
};

function partial(o: KubeObject): unknown {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  now: number,
  resourceVersion: string,
  includeObject: string | null,
  continueToken?: string,
): unknown {
  const columns = COLUMNS[rt.kind] ?? [name, ageCol];
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion, ...(continueToken ? { continue: continueToken } : {}) },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: c.description, priority: 0 })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o as Obj, now)),
      object: includeObject === "None" ? undefined : includeObject === "Object" ? { ...o, kind: rt.kind } : partial(o),
    })),
  };
}

export function tableRow(rt: ResourceType, now: number, includeObject: string | null): (o: StoredObject) => unknown {
  return (o) => toTable(rt, [o], now, o.metadata.resourceVersion, includeObject);
}
