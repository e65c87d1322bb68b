import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { BadRequestError, isAppError, toProblem, zodFieldErrors } from "./errors";

import { maxRequestBodyBytes, readTextBody } from "./body";
import { clientIpHeader } from "./client-ip";
import { logger } from "./logger";
import { DatabaseUnavailableError, isDatabaseUnreachable } from "./database-errors";
import { currentRequestContext, requestIdFrom, requestIdHeader, runWithRequestContext } from "./request-context";

export function problemResponse(thrown: unknown, request?: Request): NextResponse {
  // A database that does not answer is a 503 with Retry-After (not a 500 with an error id): nothing is broken here.
  const error = isDatabaseUnreachable(thrown) ? new DatabaseUnavailableError() : thrown;
  const instance = request ? new URL(request.url).pathname : undefined;
  const problem = toProblem(error, instance);
  return NextResponse.json(problem, {
    status: problem.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...(isAppError(error) ? error.headers : {}),
    },
  });
}

type RouteContext<P> = { params: Promise<P> };

/** Wraps a route handler: every thrown error becomes problem+json. */
export function route<P = Record<string, string>>(
  handler: (request: NextRequest, params: P) => Promise<Response>,
): (request: NextRequest, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    const answer = async () => {
      try {
        return await handler(request, (await context?.params) ?? ({} as P));
      } catch (error) {
        const response = problemResponse(error, request);
        // Why a request was refused, for whoever follows its request id (5xx are logged where toProblem sees them).
        if (response.status < 500) logger().debug({ status: response.status, detail: isAppError(error) ? error.message : undefined }, "request refused");
        return response;
      }
    };
    // The custom server's HTTP wrapper has entered the request's context already; a handler called some other way
    // (tests, another server) gets one here, so its log lines still carry a request id.
    if (currentRequestContext()) return answer();
    return runWithRequestContext({ requestId: requestIdFrom(request.headers.get(requestIdHeader)) }, answer);
  };
}

export function parseQuery<T extends ZodType>(request: Request, schema: T): z.infer<T> {
  const url = new URL(request.url);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    raw[key] = all.length > 1 ? all : all[0]!;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // The detail names what is wrong ("Search text is limited to 200 characters."), not only that something is.
    const reasons = [...new Set(parsed.error.issues.map((i) => i.message))].join("; ");
    throw new BadRequestError(`The query string is not valid: ${reasons}`, zodFieldErrors(parsed.error));
  }
  return parsed.data;
}

export function clientIp(request: Request): string | undefined {
  return request.headers.get(clientIpHeader) ?? undefined;
}

export function json(body: unknown, init: ResponseInit = {}): NextResponse {
  const headers = new Headers(init.headers);
  if (!headers.has("cache-control")) headers.set("cache-control", "private, no-store");
  return NextResponse.json(body, { ...init, headers });
}

/**
 * Parses a JSON body against a schema; malformed JSON and invalid fields are 400s that name each problem. The body
 * is streamed through the size limit (413 past it), never buffered whole first.
 */
export async function parseJsonBody<T extends ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") throw new BadRequestError("Send the body as application/json.");
  const text = request.body ? await readTextBody(request, { types: ["application/json"], maxBytes: maxRequestBodyBytes }) : "";
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : {};
  } catch {
    throw new BadRequestError("The body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadRequestError("The request body is not valid.", zodFieldErrors(parsed.error));
  return parsed.data;
}
