import "server-only";
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { logger } from "./logger";

/**
 * Marks Slipway's typed errors. The custom server and the Next.js bundles each load their own copy of this module, so
 * `instanceof AppError` fails for an error thrown by the other copy: a registered symbol is the same in every copy.
 */
const appErrorBrand = Symbol.for("slipway.app-error");

/** An error whose message is safe to show to the person who caused it. Maps to RFC 9457 problem+json. */
export class AppError extends Error {
  readonly [appErrorBrand] = true;

  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    /** Response headers the error implies, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, "Not Found", message);
  }
}

export type FieldError = { path: string; message: string };

export class ValidationError extends AppError {
  constructor(message: string, errors: unknown[] = []) {
    super(422, "Unprocessable Content", message, { errors });
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, errors: unknown[] = []) {
    super(400, "Bad Request", message, errors.length ? { errors } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(409, "Conflict", message, extensions);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in or send an API token to do this.") {
    super(401, "Unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, "Forbidden", message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, "Unsupported Media Type", message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, "Service Unavailable", message);
  }
}

export class UpstreamError extends AppError {
  constructor(message: string, status = 502) {
    super(status, status === 504 ? "Gateway Timeout" : "Bad Gateway", message);
  }
}

/** Whether `error` is one of Slipway's typed errors, from whichever copy of this module threw it. */
export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[appErrorBrand] === true;
}

/** A typed error with this HTTP status (404: the thing asked for does not exist), from any module copy. */
export function hasStatus(error: unknown, status: number): error is AppError {
  return isAppError(error) && error.status === status;
}

/** zod's errors, recognised by shape for the same reason as isAppError. */
function isZodError(error: unknown): error is ZodError {
  return error instanceof ZodError || (error instanceof Error && error.name === "ZodError" && Array.isArray((error as ZodError).issues));
}

export function zodFieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
};

/** Anything unexpected is logged with an id and shown as a generic message carrying that id. */
export function toProblem(error: unknown, instance?: string): Problem {
  if (isAppError(error)) {
    return {
      type: "about:blank",
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance ? { instance } : {}),
      ...error.extensions,
    };
  }
  if (isZodError(error)) {
    return {
      type: "about:blank",
      title: "Bad Request",
      status: 400,
      detail: "The request is not valid.",
      ...(instance ? { instance } : {}),
      errors: zodFieldErrors(error),
    };
  }
  const errorId = randomUUID();
  logger().error({ err: error, errorId, instance }, "unexpected error");
  return {
    type: "about:blank",
    title: "Internal Server Error",
    status: 500,
    detail: `Something went wrong on our side. Quote error id ${errorId} when you report it.`,
    errorId,
    ...(instance ? { instance } : {}),
  };
}
