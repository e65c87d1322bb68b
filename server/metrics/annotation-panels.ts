import "server-only";
import { PANEL_UNITS, type PanelUnit } from "./contract";
import { isLabelName } from "./promql";
import { PLACEHOLDERS, type PanelTemplate } from "./templates";

/**
 * Panels catalogue editors add to a service through annotations: the Backstage Prometheus plugin's
 * `prometheus.io/rule` (comma-separated queries, each with an optional `|label` to group by) and
 * `prometheus.io/alert`, and Slipway's `slipway.io/metrics-panels` (a JSON list of {title, unit, query}). Their
 * PromQL runs with Slipway's credentials, so it is checked at import and bounded again when it runs.
 */

export const METRICS_ANNOTATIONS = {
  rule: "prometheus.io/rule",
  alert: "prometheus.io/alert",
  panels: "slipway.io/metrics-panels",
} as const;

export type AnnotationLimits = {
  maxQueryLength: number;
  maxPanels: number;
  /** The longest range selector or subquery range, e.g. `[1d]`, in seconds. */
  maxRangeSeconds: number;
  maxOffsetSeconds: number;
  /** At run time: */
  timeoutMs: number;
  maxSeries: number;
};

export const DEFAULT_ANNOTATION_LIMITS: AnnotationLimits = {
  maxQueryLength: 1_000,
  maxPanels: 6,
  maxRangeSeconds: 86_400,
  maxOffsetSeconds: 7 * 86_400,
  timeoutMs: 5_000,
  maxSeries: 50,
};

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Seconds in a PromQL duration such as `1h30m`; null if it is not one. */
function durationSeconds(text: string): number | null {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) return null;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_SECONDS[unit!]!;
  return total;
}

const OPEN: Record<string, string> = { "(": ")", "{": "}", "[": "]" };

/** Why `query` may not run as an annotation panel, or null. Scans outside string literals only. */
export function promqlProblem(query: string, limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS): string | null {
  if (!query.trim()) return "the query is empty";
  if (query.length > limits.maxQueryLength) return `the query is longer than ${limits.maxQueryLength} characters`;
  for (const [, key] of query.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(key!) || key === "window") return `{{${key}}} is not a placeholder panels may use`;
  }
  const stack: string[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      let j = i + 1;
      for (; j < query.length && query[j] !== ch; j++) if (ch !== "`" && query[j] === "\\") j++;
      if (j >= query.length) return `a ${ch} quote is not closed`;
      i = j + 1;
      continue;
    }
    if (ch === "@") return "the @ modifier is not allowed (panels follow the chosen time range)";
    if (ch === "#") return "comments are not allowed";
    if (ch === "{" && query.startsWith("{{", i)) {
      const end = query.indexOf("}}", i);
      if (end < 0) return "a {{ placeholder is not closed";
      i = end + 2;
      continue;
    }
    if (ch in OPEN) {
      stack.push(OPEN[ch]!);
      if (ch === "[") {
        const end = query.indexOf("]", i);
        if (end < 0) return "a [ is not closed";
        const inside = query.slice(i + 1, end).replace(/\{\{\s*rate_interval\s*\}\}/g, "1s");
        for (const part of inside.split(":")) {
          const seconds = part.trim() === "" ? 0 : durationSeconds(part.trim());
          if (seconds === null) return `"[${query.slice(i + 1, end)}]" is not a range (use a duration such as 5m or {{rate_interval}})`;
          if (seconds > limits.maxRangeSeconds) return `the range [${part.trim()}] is longer than ${limits.maxRangeSeconds / 3600} h`;
        }
      }
      i++;
      continue;
    }
    if (ch === ")" || ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return `a ${ch} has no matching opening bracket`;
      i++;
      continue;
    }
    const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(query.slice(i))?.[0];
    if (word) {
      if (word === "offset") {
        const m = /^\s*-?\s*([0-9a-z]+)/.exec(query.slice(i + word.length));
        const seconds = m ? durationSeconds(m[1]!) : null;
        if (seconds === null) return "offset needs a duration";
        if (seconds > limits.maxOffsetSeconds) return `offset ${m![1]} is further back than ${limits.maxOffsetSeconds / 86_400} days`;
      }
      i += word.length;
      continue;
    }
    i++;
  }
  if (stack.length) return `a bracket is not closed (expected ${stack.at(-1)})`;
  return null;
}

/** Splits on commas that are outside brackets and strings (`sum by (a, b)` stays one query). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\" && quote !== "`") {
        current += ch + (text[i + 1] ?? "");
        i++;
        continue;
      }
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === "`") quote = ch;
    else if ("({[".includes(ch)) depth++;
    else if (")}]".includes(ch)) depth--;
    else if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export type AnnotationPanelsResult = { templates: PanelTemplate[]; problems: Array<{ annotation: string; message: string }> };

type PanelSpec = { title?: unknown; unit?: unknown; query?: unknown };

/** The panels a service's annotations ask for, and what is wrong with the ones that cannot run. */
type Annotations = Record<string, string> | null | undefined;

export function annotationPanels(annotations: Annotations, limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS): AnnotationPanelsResult {
  const templates: PanelTemplate[] = [];
  const problems: AnnotationPanelsResult["problems"] = [];
  const rule = annotations?.[METRICS_ANNOTATIONS.rule]?.trim();
  if (rule) {
    splitTopLevel(rule).forEach((entry, index) => {
      const bar = entry.lastIndexOf("|");
      const grouping = bar > 0 && isLabelName(entry.slice(bar + 1).trim()) ? entry.slice(bar + 1).trim() : null;
      const query = grouping ? entry.slice(0, bar).trim() : entry;
      const problem = promqlProblem(query, limits);
      if (problem) problems.push({ annotation: METRICS_ANNOTATIONS.rule, message: `query ${index + 1}: ${problem}` });
      else {
        const target = { legend: grouping ?? "value", query: grouping ? `sum by (${grouping}) (${query})` : query };
        templates.push({ id: `rule-${index + 1}`, title: query.slice(0, 80), unit: "count", targets: [target] });
      }
    });
  }
  const panels = annotations?.[METRICS_ANNOTATIONS.panels]?.trim();
  if (panels) {
    let specs: unknown;
    try {
      specs = JSON.parse(panels);
    } catch {
      specs = null;
    }
    const refuse = (message: string) => problems.push({ annotation: METRICS_ANNOTATIONS.panels, message });
    if (!Array.isArray(specs)) refuse('write a JSON list such as [{"title": "Queue depth", "unit": "count", "query": "..."}]');
    else {
      (specs as PanelSpec[]).forEach((spec, index) => {
        const where = `panel ${index + 1}`;
        if (typeof spec?.title !== "string" || !spec.title.trim() || spec.title.length > 80) return refuse(`${where}: give a title of up to 80 characters`);
        if (!PANEL_UNITS.includes(spec.unit as PanelUnit)) return refuse(`${where}: unit must be one of ${PANEL_UNITS.join(", ")}`);
        const problem = typeof spec.query === "string" ? promqlProblem(spec.query, limits) : "give a query";
        if (problem) return refuse(`${where}: ${problem}`);
        const title = spec.title.trim();
        templates.push({ id: `panel-${index + 1}`, title, unit: spec.unit as PanelUnit, targets: [{ legend: title, query: spec.query as string }] });
      });
    }
  }
  if (templates.length > limits.maxPanels) {
    problems.push({ annotation: METRICS_ANNOTATIONS.panels, message: `${templates.length} annotation panels; only the first ${limits.maxPanels} are shown` });
    templates.length = limits.maxPanels;
  }
  return { templates, problems };
}

/** For the catalogue's import: what is wrong with a service's metrics annotations, as readable lines (empty: fine). */
export function metricsAnnotationProblems(annotations: Annotations, limits: AnnotationLimits = DEFAULT_ANNOTATION_LIMITS): string[] {
  const problems = annotationPanels(annotations, limits).problems.map((p) => `${p.annotation}: ${p.message}`);
  const alert = annotations?.[METRICS_ANNOTATIONS.alert]?.trim();
  if (alert && alert !== "all" && !alert.split(",").every((name) => /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name.trim()))) {
    problems.push(`${METRICS_ANNOTATIONS.alert}: list alert names separated by commas, or write all`);
  }
  return problems;
}

/** The alert names `prometheus.io/alert` asks for: "all", a set of names, or none. */
export function annotationAlertNames(annotations: Annotations): "all" | Set<string> {
  const alert = annotations?.[METRICS_ANNOTATIONS.alert]?.trim();
  if (alert === "all") return "all";
  return new Set(
    (alert ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean),
  );
}
