import "server-only";
import { invalid, type FieldCause } from "./api-errors";
import { deepEqual, isPlainObject } from "./json";
import type { ResourceType } from "./resources";
import { selectorMatches } from "./selectors";
import type { KubeObject, LabelSelector } from "./types";

/** The subset of apiserver validation that a portal can trip over, with the apiserver's messages. */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function validateName(rt: ResourceType, name: string, causes: FieldCause[]): void {
  if (!name) {
    causes.push({ type: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" });
    return;
  }
  const label = rt.kind === "Namespace";
  const ok = label ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!ok) causes.push({ type: "FieldValueInvalid", field: "metadata.name", value: name, detail: label ? LABEL_MSG : SUBDOMAIN_MSG });
}

function validateContainers(list: unknown, field: string, causes: FieldCause[], required: boolean): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (required) causes.push({ type: "FieldValueRequired", field, detail: "" });
    return;
  }
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isPlainObject(c)) {
      causes.push({ type: "FieldValueInvalid", field: f, value: c, detail: "must be an object" });
      return;
    }
    const name = typeof c.name === "string" ? c.name : "";
    if (!name) causes.push({ type: "FieldValueRequired", field: `${f}.name`, detail: "" });
    else if (!DNS1123_LABEL.test(name)) causes.push({ type: "FieldValueInvalid", field: `${f}.name`, value: name, detail: LABEL_MSG });
    else if (seen.has(name)) causes.push({ type: "FieldValueDuplicate", field: `${f}.name`, value: name, detail: "" });
    seen.add(name);
    if (typeof c.image !== "string" || !c.image.trim()) causes.push({ type: "FieldValueRequired", field: `${f}.image`, detail: "" });
  });
}

function intOrPercent(value: unknown, total: number): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+%$/.test(value)) return Number(value.slice(0, -1)) * total;
  return undefined;
}

function goSelector(selector: LabelSelector | undefined): string {
  return `v1.LabelSelector{MatchLabels:map[string]string{${Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(", ")}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

function validateWorkload(o: Record<string, unknown>, causes: FieldCause[], old: KubeObject | undefined, kind: string): void {
  const spec = isPlainObject(o.spec) ? o.spec : {};
  const selector = spec.selector as LabelSelector | undefined;
  if (!selector || !isPlainObject(selector)) {
    causes.push({ type: "FieldValueRequired", field: "spec.selector", detail: "" });
  } else if (Object.keys(selector.matchLabels ?? {}).length === 0 && ((selector as LabelSelector).matchExpressions ?? []).length === 0) {
    causes.push({ type: "FieldValueInvalid", field: "spec.selector", value: selector, detail: "empty selector is invalid for deployment" });
  }
  const template = isPlainObject(spec.template) ? spec.template : undefined;
  const labels = (isPlainObject(template?.metadata) ? (template.metadata as { labels?: Record<string, string> }).labels : undefined) ?? {};
  if (isPlainObject(selector) && !selectorMatches(selector, labels)) {
    causes.push({
      type: "FieldValueInvalid",
      field: "spec.template.metadata.labels",
      value: labels,
      detail: "`selector` does not match template `labels`",
    });
  }
  const podSpec = isPlainObject(template?.spec) ? template.spec : {};
  validateContainers(podSpec.containers, "spec.template.spec.containers", causes, true);
  validateContainers(podSpec.initContainers, "spec.template.spec.initContainers", causes, false);
  const replicas = spec.replicas;
  if (replicas !== undefined && (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)) {
    causes.push({ type: "FieldValueInvalid", field: "spec.replicas", value: replicas, detail: "must be greater than or equal to 0" });
  }
  if (kind === "Deployment") {
    const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
    if (strategy.type !== undefined && strategy.type !== "RollingUpdate" && strategy.type !== "Recreate") {
      causes.push({
        type: "FieldValueNotSupported",
        field: "spec.strategy.type",
        value: strategy.type,
        detail: 'supported values: "Recreate", "RollingUpdate"',
      });
    }
    const ru = isPlainObject(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
    if (ru && strategy.type === "Recreate") {
      causes.push({ type: "FieldValueForbidden", field: "spec.strategy.rollingUpdate", detail: "may not be specified when strategy `type` is 'Recreate'" });
    }
    if (ru && intOrPercent(ru.maxSurge, 100) === 0 && intOrPercent(ru.maxUnavailable, 100) === 0) {
      causes.push({
        type: "FieldValueInvalid",
        field: "spec.strategy.rollingUpdate.maxUnavailable",
        value: ru.maxUnavailable,
        detail: "may not be 0 when `maxSurge` is 0",
      });
    }
    for (const key of ["maxSurge", "maxUnavailable"]) {
      const v = ru?.[key];
      if (v !== undefined && intOrPercent(v, 100) === undefined) {
        causes.push({
          type: "FieldValueInvalid",
          field: `spec.strategy.rollingUpdate.${key}`,
          value: v,
          detail: "a valid percent string must be a numeric string followed by an ending '%'",
        });
      }
    }
    const pds = spec.progressDeadlineSeconds;
    const mrs = typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0;
    if (typeof pds === "number" && pds <= mrs) {
      causes.push({ type: "FieldValueInvalid", field: "spec.progressDeadlineSeconds", value: pds, detail: "must be greater than minReadySeconds" });
    }
  }
  if (old && !deepEqual((old as { spec?: { selector?: unknown } }).spec?.selector, selector)) {
    causes.push({ type: "FieldValueInvalid", field: "spec.selector", value: goSelector(selector), detail: "field is immutable" });
  }
}

/** Throws 422 Invalid with field causes, as the apiserver does. */
export function validateObject(rt: ResourceType, object: KubeObject, old?: KubeObject): void {
  const causes: FieldCause[] = [];
  validateName(rt, object.metadata.name ?? "", causes);
  const o = object as unknown as Record<string, unknown>;
  switch (rt.kind) {
    case "Deployment":
    case "ReplicaSet":
      validateWorkload(o, causes, old, rt.kind);
      break;
    case "Pod": {
      const spec = isPlainObject(o.spec) ? o.spec : {};
      validateContainers(spec.containers, "spec.containers", causes, true);
      break;
    }
    case "Rollout": {
      const spec = isPlainObject(o.spec) ? o.spec : undefined;
      if (!spec) causes.push({ type: "FieldValueRequired", field: "spec", detail: "" });
      break;
    }
    default:
      break;
  }
  for (const value of Object.values(object.metadata.labels ?? {})) {
    if (typeof value !== "string" || value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.labels",
        value,
        detail:
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      });
    }
  }
  if (causes.length > 0) throw invalid(rt.kind, rt.group, object.metadata.name ?? "", causes);
}
