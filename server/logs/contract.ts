import { z } from "zod";

/** What the browser may import about logs: line shapes, the query a Logs tab sends (never DSL), error codes. */

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "unknown"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The levels a person can filter on (`unknown` is what detection could not tell, not something to ask for). */
export const FILTERABLE_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type FilterableLevel = (typeof FILTERABLE_LEVELS)[number];

/** Why logs could not be read, in words a person can act on. */
export const LOGS_ERROR_CODES = [
  "not_configured",
  "bad_query",
  "index_not_found",
  "unauthorized",
  "rate_limited",
  "timeout",
  "unavailable",
  "unreachable",
  "incompatible_server",
  "invalid_response",
  "expired_cursor",
  "partial",
  "pod_logs_unavailable",
] as const;
export type LogsErrorCode = (typeof LOGS_ERROR_CODES)[number];

export const logsProblemSchema = z.object({
  code: z.enum(LOGS_ERROR_CODES),
  message: z.string(),
  /** Which source failed, e.g. "staging (elasticsearch8)" or "cluster staging". */
  source: z.string(),
});
export type LogsProblem = z.infer<typeof logsProblemSchema>;

/** Scalar values of a line's structured fields, flattened with dotted keys (`http.status`). */
export const lineFieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const logLineSchema = z.object({
  /** Opaque; pass it back to ask for this line's context. */
  id: z.string(),
  /** RFC 3339, as precise as the store kept it. */
  timestamp: z.string(),
  pod: z.string(),
  container: z.string(),
  level: z.enum(LOG_LEVELS),
  message: z.string(),
  /** The JSON fields a structured logger wrote (for the expandable view), plus stream and node. */
  fields: lineFieldsSchema,
});
export type LogLine = z.infer<typeof logLineSchema>;

export const logPageSchema = z.object({
  /** Newest first. */
  lines: z.array(logLineSchema),
  /** Opaque; null when there is nothing older in the range. */
  nextCursor: z.string().nullable(),
  errors: z.array(logsProblemSchema),
});
export type LogPage = z.infer<typeof logPageSchema>;

export const lineContextSchema = z.object({
  /** Oldest first: `before` lines, the anchor, `after` lines, all from the anchor's pod and container. */
  lines: z.array(logLineSchema),
  anchorId: z.string(),
  errors: z.array(logsProblemSchema),
});
export type LineContext = z.infer<typeof lineContextSchema>;

export const podLogsSchema = z.object({
  /** Oldest first, as the container wrote them. */
  lines: z.array(logLineSchema),
  errors: z.array(logsProblemSchema),
});
export type PodLogs = z.infer<typeof podLogsSchema>;

export const errorRateSchema = z.object({
  /** Width of each point, in milliseconds: a minute, or whole minutes on long ranges (values stay per minute). */
  intervalMs: z.number(),
  /** `[start of interval (epoch ms), error lines per minute]`, oldest first; empty intervals are 0. */
  points: z.array(z.tuple([z.number(), z.number()])),
  errors: z.array(logsProblemSchema),
});
export type ErrorRate = z.infer<typeof errorRateSchema>;

/** The most points an error-rate answer carries: a day of minutes; longer ranges count whole minutes per point. */
export const MAX_ERROR_RATE_BUCKETS = 1440;

export const MAX_QUERY_TEXT_LENGTH = 512;
export const MAX_PAGE_LINES = 1000;
export const DEFAULT_PAGE_LINES = 200;
/** The most lines one NDJSON download carries; narrow the range or the filters for more. */
export const MAX_EXPORT_LINES = 10_000;
/** The longest range one search covers. */
export const MAX_RANGE_DAYS = 31;

const podName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a pod name");
const containerName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a container name");
const epochOrIso = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "a time (epoch milliseconds or RFC 3339)" });
    return z.NEVER;
  }
  return ms;
});

/** The Logs tab's query string, as the API route accepts it (the browser's filters, never DSL). */
export const logQueryInputSchema = z
  .object({
    environment: z
      .string()
      .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "an environment name")
      .max(63),
    from: epochOrIso,
    to: epochOrIso,
    q: z.string().max(MAX_QUERY_TEXT_LENGTH, `at most ${MAX_QUERY_TEXT_LENGTH} characters`).optional(),
    pod: podName.optional(),
    container: containerName.optional(),
    level: z.union([z.enum(FILTERABLE_LEVELS), z.array(z.enum(FILTERABLE_LEVELS)).max(FILTERABLE_LEVELS.length)]).optional(),
    cursor: z.string().max(8192).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LINES).optional(),
  })
  .strict();
export type LogQueryInput = z.input<typeof logQueryInputSchema>;
