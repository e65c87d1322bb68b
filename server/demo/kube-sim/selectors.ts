import "server-only";
import { badRequest } from "./api-errors";
import type { ResourceType } from "./resources";
import type { KubeObject, LabelSelector } from "./types";

/** Label and field selectors with the syntax and semantics of k8s.io/apimachinery/pkg/labels and fields. */

export type Operator = "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseError(detail: string): never {
  throw badRequest(`unable to parse requirement: ${detail}`);
}

function checkKey(key: string): string {
  if (!key || key.length > 317 || !KEY_RE.test(key)) {
    parseError(
      `<nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || !VALUE_RE.test(value)) {
    parseError(
      `values[0][${value}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return value;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

export function parseLabelSelector(input: string | undefined | null): Requirement[] {
  const text = (input ?? "").trim();
  if (!text) return [];
  const reqs: Requirement[] = [];
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim();
    if (!part) parseError("found '', expected: identifier");
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s!=<>(),]+)$/.exec(part))) {
      reqs.push({ key: checkKey(m[1] ?? ""), op: "!", values: [] });
    } else if ((m = /^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part))) {
      const rawValues = (m[3] ?? "").trim();
      if (!rawValues) parseError("for 'in', 'notin' operators, values set can't be empty");
      const values = rawValues.split(",").map((v) => v.trim());
      reqs.push({ key: checkKey(m[1] ?? ""), op: m[2] === "in" ? "in" : "notin", values: values.map(checkValue) });
    } else if ((m = /^([^\s!=<>(),]+)\s*(==|=|!=|>|<)\s*([^\s!=<>(),]*)$/.exec(part))) {
      const op = m[2];
      const value = m[3] ?? "";
      if (op === ">" || op === "<") {
        if (!/^-?\d+$/.test(value)) parseError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key: checkKey(m[1] ?? ""), op: op === ">" ? "gt" : "lt", values: [value] });
      } else {
        reqs.push({ key: checkKey(m[1] ?? ""), op: op === "!=" ? "!=" : "=", values: [checkValue(value)] });
      }
    } else if ((m = /^([^\s!=<>(),]+)$/.exec(part))) {
      reqs.push({ key: checkKey(m[1] ?? ""), op: "exists", values: [] });
    } else {
      parseError(`found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return reqs;
}

export function matchesRequirements(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
      case "in":
        return has && r.values.includes(v ?? "");
      case "!=":
      case "notin":
        return !has || !r.values.includes(v ?? "");
      case "exists":
        return has;
      case "!":
        return !has;
      case "gt":
        return has && /^-?\d+$/.test(v ?? "") && Number(v) > Number(r.values[0]);
      case "lt":
        return has && /^-?\d+$/.test(v ?? "") && Number(v) < Number(r.values[0]);
    }
  });
}

export function labelMatcher(input: string | undefined | null): LabelMatcher {
  const reqs = parseLabelSelector(input);
  return (labels) => matchesRequirements(reqs, labels);
}

/** metav1.LabelSelectorAsSelector. An empty selector matches everything; a missing one matches nothing. */
export function selectorRequirements(selector: LabelSelector | undefined | null): Requirement[] | null {
  if (!selector) return null;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, op: "=", values: [value] });
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        reqs.push({ key: e.key, op: "in", values });
        break;
      case "NotIn":
        reqs.push({ key: e.key, op: "notin", values });
        break;
      case "Exists":
        reqs.push({ key: e.key, op: "exists", values: [] });
        break;
      case "DoesNotExist":
        reqs.push({ key: e.key, op: "!", values: [] });
        break;
      default:
        throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    }
  }
  return reqs;
}

export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  const reqs = selectorRequirements(selector);
  if (reqs === null) return false;
  return matchesRequirements(reqs, labels);
}

/** metav1.FormatLabelSelector: "app=web,tier in (a,b)". */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string {
  const reqs = selectorRequirements(selector) ?? [];
  if (reqs.length === 0) return "";
  return [...reqs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      switch (r.op) {
        case "=":
          return `${r.key}=${r.values[0]}`;
        case "!=":
          return `${r.key}!=${r.values[0]}`;
        case "in":
          return `${r.key} in (${[...r.values].sort().join(",")})`;
        case "notin":
          return `${r.key} notin (${[...r.values].sort().join(",")})`;
        case "exists":
          return r.key;
        case "!":
          return `!${r.key}`;
        case "gt":
          return `${r.key}>${r.values[0]}`;
        case "lt":
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(",");
}

// ---- field selectors ----

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

function unescapeFieldValue(v: string): string {
  return v.replace(/\\(.)/g, "$1");
}

export function parseFieldSelector(input: string | undefined | null): FieldRequirement[] {
  const text = (input ?? "").trim();
  if (!text) return [];
  const parts = text.split(/(?<!\\),/);
  return parts.map((raw) => {
    const part = raw.trim();
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: (m[1] ?? "").trim(), op: m[2] === "!=" ? "!=" : "=", value: unescapeFieldValue(m[3] ?? "") };
  });
}

export type FieldMatcher = (obj: KubeObject) => boolean;

/** Builds a matcher; an unsupported field is a 400 as the apiserver answers it. */
export function fieldMatcher(rt: ResourceType, input: string | undefined | null): FieldMatcher {
  const reqs = parseFieldSelector(input);
  const getters = reqs.map((r) => {
    if (r.field === "metadata.name") return (o: KubeObject) => o.metadata.name ?? "";
    if (r.field === "metadata.namespace") return (o: KubeObject) => o.metadata.namespace ?? "";
    const getter = rt.fieldLabels[r.field];
    if (!getter) throw badRequest(`field label not supported: ${r.field}`);
    return getter;
  });
  return (obj) =>
    reqs.every((r, i) => {
      const actual = getters[i]?.(obj) ?? "";
      return r.op === "=" ? actual === r.value : actual !== r.value;
    });
}
