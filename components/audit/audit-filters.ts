/** The audit trail's filters as they live in the URL: every value a string, empty meaning "any". */
export type AuditFilters = {
  actor: string;
  action: string;
  targetType: string;
  target: string;
  /** details.environment of the event (rollouts, workload actions): production, staging... */
  environment: string;
  /** A rollout event's after-state: succeeded, failed, rolled_back... */
  outcome: string;
  /** ISO 8601 instants; the form shows them as local date-times. */
  since: string;
  until: string;
};

export const auditFilterNames = ["actor", "action", "targetType", "target", "environment", "outcome", "since", "until"] as const satisfies ReadonlyArray<
  keyof AuditFilters
>;

export const emptyAuditFilters: AuditFilters = { actor: "", action: "", targetType: "", target: "", environment: "", outcome: "", since: "", until: "" };

export const auditPageSize = 50;

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function read(source: ParamSource, name: string): string {
  const value = source instanceof URLSearchParams ? source.get(name) : source[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

export function auditFiltersFrom(source: ParamSource): AuditFilters {
  return Object.fromEntries(auditFilterNames.map((name) => [name, read(source, name)])) as AuditFilters;
}

/** A canonical query string (fixed order, empty values left out): the same filters always give the same string. */
export function auditQueryString(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const name of auditFilterNames) if (filters[name]) params.set(name, filters[name]);
  return params.toString();
}

export function activeAuditFilterCount(filters: AuditFilters): number {
  return auditFilterNames.filter((name) => filters[name]).length;
}

/** Actions worth offering as suggestions; a trailing `*` or `.` matches every action with that prefix. */
export const commonAuditActions = [
  "catalogue.import",
  "token.create",
  "token.revoke",
  "auth.sign_in",
  "auth.sign_out",
  "auth.*",
  "token.*",
  "catalogue.*",
  "release.register",
  "rollout.request",
  "checkpoint.approve",
  "checkpoint.reject",
  "rollout.*",
  "checkpoint.*",
  "workload.*",
  "freeze.*",
];

export const commonEnvironments = ["production", "staging"];

/** Where a rollout event left the rollout: its outcomes first, then the steps on the way. */
export const commonOutcomes = ["succeeded", "failed", "rolled_back", "rejected", "cancelled", "expired", "superseded", "approved", "applying", "progressing"];

/** The page's view of the events, kept in the URL next to the filters (not sent to the API). */
export const groupParam = "group";

export const commonTargetTypes = ["service", "rollout", "api_token", "person", "team", "catalogue", "freeze"];

/** "2026-03-12T14:05" in the browser's time zone, for a datetime-local input. */
export function isoToLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (browser time zone) as an ISO instant in UTC; empty stays empty. */
export function localInputToIso(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
