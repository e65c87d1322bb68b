import "server-only";
import { isPlainObject } from "./json";
import type { KubeObject } from "./types";

/**
 * The defaulting the apiserver applies to built-in types (pkg/apis/*\/v1/defaults.go and the admission plugins
 * that always run), so objects read back look like a real cluster's. Custom resources are not defaulted.
 */

type Obj = Record<string, unknown>;

function obj(parent: Obj, key: string): Obj {
  const cur = parent[key];
  if (isPlainObject(cur)) return cur;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== "string") return "IfNotPresent";
  const withoutDigest = image.split("@")[0] ?? image;
  const lastSegment = withoutDigest.split("/").pop() ?? withoutDigest;
  const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  if (image.includes("@")) return "IfNotPresent";
  return tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

function defaultProbe(probe: unknown): void {
  if (!isPlainObject(probe)) return;
  setDefault(probe, "timeoutSeconds", 1);
  setDefault(probe, "periodSeconds", 10);
  setDefault(probe, "successThreshold", 1);
  setDefault(probe, "failureThreshold", 3);
  if (isPlainObject(probe.httpGet)) setDefault(probe.httpGet, "scheme", "HTTP");
}

function defaultContainer(c: unknown): void {
  if (!isPlainObject(c)) return;
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  setDefault(c, "imagePullPolicy", imagePullPolicy(c.image));
  setDefault(c, "resources", {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) setDefault(p, "protocol", "TCP");
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      if (isPlainObject(e) && isPlainObject(e.valueFrom) && isPlainObject(e.valueFrom.fieldRef)) {
        setDefault(e.valueFrom.fieldRef, "apiVersion", "v1");
      }
    }
  }
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "schedulerName", "default-scheduler");
  for (const key of ["containers", "initContainers"]) {
    const list = spec[key];
    if (Array.isArray(list)) list.forEach(defaultContainer);
  }
  if (Array.isArray(spec.volumes)) {
    for (const v of spec.volumes) {
      if (!isPlainObject(v)) continue;
      if (isPlainObject(v.configMap)) setDefault(v.configMap, "defaultMode", 420);
      if (isPlainObject(v.secret)) setDefault(v.secret, "defaultMode", 420);
    }
  }
}

export function defaultPodTemplate(template: Obj): void {
  // metav1.Time without omitempty: templates always serialise "creationTimestamp": null.
  const meta = obj(template, "metadata");
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  defaultPodSpec(obj(template, "spec"));
}

function defaultIntOrPercent(target: Obj, key: string, value: string): void {
  setDefault(target, key, value);
}

/** What the pod admission chain adds to pods (ServiceAccount, DefaultTolerationSeconds, Priority). */
export function defaultPod(pod: Obj): void {
  const spec = obj(pod, "spec");
  defaultPodSpec(spec);
  setDefault(spec, "serviceAccountName", "default");
  setDefault(spec, "serviceAccount", spec.serviceAccountName);
  setDefault(spec, "enableServiceLinks", true);
  setDefault(spec, "priority", 0);
  setDefault(spec, "preemptionPolicy", "PreemptLowerPriority");
  const tolerations = Array.isArray(spec.tolerations) ? (spec.tolerations as Obj[]) : [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tolerations.some((t) => t.key === key)) {
      tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
}

export function applyDefaults(kind: string, object: KubeObject): void {
  const o = object as unknown as Obj;
  switch (kind) {
    case "Deployment": {
      const spec = obj(o, "spec");
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      const strategy = obj(spec, "strategy");
      setDefault(strategy, "type", "RollingUpdate");
      if (strategy.type === "RollingUpdate") {
        const ru = obj(strategy, "rollingUpdate");
        defaultIntOrPercent(ru, "maxUnavailable", "25%");
        defaultIntOrPercent(ru, "maxSurge", "25%");
      }
      defaultPodTemplate(obj(spec, "template"));
      break;
    }
    case "ReplicaSet": {
      const spec = obj(o, "spec");
      setDefault(spec, "replicas", 1);
      defaultPodTemplate(obj(spec, "template"));
      break;
    }
    case "Pod":
      defaultPod(o);
      break;
    case "Namespace": {
      const spec = obj(o, "spec");
      setDefault(spec, "finalizers", ["kubernetes"]);
      const status = obj(o, "status");
      setDefault(status, "phase", "Active");
      const labels = obj(obj(o, "metadata"), "labels");
      labels["kubernetes.io/metadata.name"] = object.metadata.name ?? "";
      break;
    }
    default:
      break;
  }
}
