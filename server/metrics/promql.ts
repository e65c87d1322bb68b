import "server-only";
import { MetricsQueryError } from "./metrics-errors";

/**
 * PromQL building blocks that keep values inert. Label values go inside double quotes escaped by Go string rules
 * (what the PromQL lexer unquotes); names are validated, never escaped, because PromQL has no quoting for them.
 */

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const isMetricName = (name: string): boolean => METRIC_NAME.test(name);
export const isLabelName = (name: string): boolean => LABEL_NAME.test(name) && !name.startsWith("__");
export const isNamespaceName = (name: string): boolean => name.length <= 63 && DNS_1123_LABEL.test(name);
export const isWorkloadName = (name: string): boolean => name.length <= 253 && DNS_1123_SUBDOMAIN.test(name);

/** The inside of a PromQL double-quoted string holding `value` exactly. */
export function escapeLabelValue(value: string): string {
  // Lone surrogates cannot be sent as UTF-8: they would arrive as U+FFFD anyway, so say so explicitly.
  const text = value.replace(LONE_SURROGATE, "\uFFFD");
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    // Go's PromQL lexer reads a literal U+FFFD as a decoding error: spell it as an escape.
    else if (code === 0xfffd) out += "\\ufffd";
    else out += ch;
  }
  return out;
}

/** `name="value"` with the value escaped and the name validated. */
export function equalMatcher(label: string, value: string): string {
  if (!isLabelName(label)) throw new MetricsQueryError("invalid_query", `"${label}" is not a Prometheus label name`, 422);
  return `${label}="${escapeLabelValue(value)}"`;
}

/** `metric{a="x",b="y"}` from validated names and escaped values. */
export function selector(metric: string, labels: Record<string, string>): string {
  if (!isMetricName(metric)) throw new MetricsQueryError("invalid_query", `"${metric}" is not a Prometheus metric name`, 422);
  return `${metric}{${Object.entries(labels)
    .map(([k, v]) => equalMatcher(k, v))
    .join(",")}}`;
}

/** A Prometheus duration in whole seconds, e.g. `75s`. */
export function duration(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}
