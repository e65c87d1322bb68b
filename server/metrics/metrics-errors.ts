import "server-only";
import { AppError } from "../shared/errors";
import type { PanelError, PanelErrorCode } from "./contract";

/**
 * A metrics query that failed, with a code the UI can branch on and a message safe to show. Recognised by shape
 * (`metricsCode`), not only by instanceof: the custom server and the Next.js bundles load their own module copies.
 */
export class MetricsQueryError extends AppError {
  readonly metricsCode: PanelErrorCode;

  constructor(code: PanelErrorCode, message: string, status = 502) {
    super(status, status === 504 ? "Gateway Timeout" : status === 422 ? "Unprocessable Content" : "Bad Gateway", message, { code });
    this.metricsCode = code;
  }
}

export function isMetricsQueryError(error: unknown): error is MetricsQueryError {
  return typeof error === "object" && error !== null && typeof (error as MetricsQueryError).metricsCode === "string";
}

/** The panel's error for anything a query threw; unexpected errors keep a generic message. */
export function toPanelError(error: unknown): PanelError {
  if (isMetricsQueryError(error)) return { code: error.metricsCode, message: error.message };
  if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AbortError") {
    return { code: "timeout", message: "The query was cancelled" };
  }
  const message = error instanceof Error ? error.message.slice(0, 200) : String(error);
  return { code: "unavailable", message: `The query failed unexpectedly: ${message}` };
}
