import { FILTERABLE_LEVELS, MAX_QUERY_TEXT_LENGTH, type FilterableLevel, type LogLevel } from "@/server/logs/contract";

/**
 * The Logs tab's view, all of it in the URL so a view can be shared: `environment`, `range` or `from`+`to` (as the
 * Metrics tab), `q`, `pod`, `container`, `level` (repeated). The Metrics tab links here with
 * `?environment=E&from=ISO&to=ISO&pod=P&container=C` for a chart point.
 */
export type LogView = {
  environment: string;
  q: string;
  pod: string;
  container: string;
  levels: FilterableLevel[];
  /** A rollout's id: only its new pods (a deploy marker's link); "" for every pod. */
  rollout: string;
};

const podPattern = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const containerPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function viewFromParams(params: URLSearchParams, environments: string[]): LogView {
  const environment = environments.find((e) => e === params.get("environment")) ?? environments.at(-1) ?? "production";
  const pod = params.get("pod") ?? "";
  const container = params.get("container") ?? "";
  const levels = FILTERABLE_LEVELS.filter((l) => params.getAll("level").includes(l));
  return {
    environment,
    q: (params.get("q") ?? "").slice(0, MAX_QUERY_TEXT_LENGTH),
    // A malformed name in a hand-edited link is dropped rather than refused by the API.
    pod: pod.length <= 253 && podPattern.test(pod) ? pod : "",
    container: container.length <= 63 && containerPattern.test(container) ? container : "",
    levels,
    rollout: uuidPattern.test(params.get("rollout") ?? "") ? params.get("rollout")! : "",
  };
}

/** Level colours: the badge tone and the row's left rule, the same in both themes' contrast. */
export const levelStyle: Record<LogLevel, { tone: "neutral" | "sky" | "indigo" | "amber" | "red" | "violet"; rule: string; label: string }> = {
  trace: { tone: "neutral", rule: "border-l-zinc-300 dark:border-l-zinc-700", label: "TRACE" },
  debug: { tone: "violet", rule: "border-l-violet-300 dark:border-l-violet-700", label: "DEBUG" },
  info: { tone: "sky", rule: "border-l-sky-400 dark:border-l-sky-600", label: "INFO" },
  warn: { tone: "amber", rule: "border-l-amber-400 dark:border-l-amber-500", label: "WARN" },
  error: { tone: "red", rule: "border-l-red-500 dark:border-l-red-500", label: "ERROR" },
  fatal: { tone: "red", rule: "border-l-red-700 dark:border-l-red-400", label: "FATAL" },
  unknown: { tone: "neutral", rule: "border-l-transparent", label: "—" },
};

/** A line's message parsed as a JSON object, for the expanded view; null when it is plain text. */
export function jsonOf(message: string): Record<string, unknown> | null {
  const text = message.trim();
  if (!text.startsWith("{") || !text.endsWith("}")) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function formatTime(timestamp: string): string {
  const d = new Date(timestamp);
  if (!Number.isFinite(d.getTime())) return timestamp;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
