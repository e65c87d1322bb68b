import "server-only";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../audit";
import { clientIpHeader } from "../shared/client-ip";
import { database } from "../shared/db";
import { ForbiddenError, UnauthorizedError } from "../shared/errors";
import { consumeRateLimit } from "../shared/rate-limit";
import { notePrincipal } from "../shared/request-context";
import { findTokenPrincipal } from "./api-tokens";
import { safeEqual } from "./secrets";
import { findSessionPrincipal, sessionCookie } from "./sessions";
import { authorize, decide, type Permission } from "./permissions";
import type { Principal } from "./types";

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

export function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
}

export function contextFor(principal: Principal, request: Request): RequestContext {
  const actor =
    principal.kind === "session"
      ? { type: "person" as const, id: principal.person.id, name: principal.person.name }
      : { type: "token" as const, id: principal.tokenId, name: `${principal.tokenName} (${principal.person?.name ?? principal.team?.name ?? "token"})` };
  return { actor, requestId: requestIdOf(request), sourceIp: request.headers.get(clientIpHeader) ?? undefined };
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A cookie-authenticated mutation must come from Slipway's own pages: same origin, and the CSRF token the page
 * read from the `slipway_csrf` cookie echoed in `x-csrf-token`.
 */
function checkCsrf(request: Request, principal: Extract<Principal, { kind: "session" }>): void {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    throw new ForbiddenError("Cross-site requests may not change anything.");
  }
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && host && new URL(origin).host !== host) throw new ForbiddenError("Cross-origin requests may not change anything.");
  const token = request.headers.get("x-csrf-token");
  if (!token || !safeEqual(token, principal.csrfToken)) {
    throw new ForbiddenError("Missing or wrong CSRF token: reload the page and try again.");
  }
}

/**
 * Who is calling: a bearer token, or a session cookie; null when neither. Bad tokens count towards a rate limit.
 * `recheck` asks again for a caller already let in (a live stream): the database, not the read cache, and no count.
 */
export async function identify(request: Request, options: { recheck?: boolean } = {}): Promise<Principal | null> {
  const { prisma } = await database();
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const principal = match ? await findTokenPrincipal(prisma, match[1]!) : null;
    if (!principal) {
      if (options.recheck) return null;
      await consumeRateLimit(prisma, `bad-token:${request.headers.get(clientIpHeader) ?? "?"}`, 30, 60);
      throw new UnauthorizedError("The API token is unknown, expired or revoked.");
    }
    return noted(principal);
  }
  const token = readCookie(request.headers.get("cookie"), sessionCookie);
  if (!token) return null;
  const forWrite = unsafeMethods.has(request.method);
  const principal = await findSessionPrincipal(prisma, token, { forWrite: forWrite || options.recheck === true });
  if (principal?.kind === "session" && forWrite) checkCsrf(request, principal);
  return principal ? noted(principal) : null;
}

/** Puts who is calling on every log line of this request (ids only, never the token or the cookie). */
function noted(principal: Principal): Principal {
  notePrincipal(principal.kind === "session" ? { kind: "person", id: principal.person.id } : { kind: "token", id: principal.tokenId });
  return principal;
}

/** identify(), but 401 when nobody is signed in. */
export async function authenticate(request: Request): Promise<{ principal: Principal; context: RequestContext }> {
  const principal = await identify(request);
  if (!principal) throw new UnauthorizedError();
  return { principal, context: contextFor(principal, request) };
}

/**
 * For a response that outlives its request (a live stream): whether its caller may still do `permission` now, so
 * signing out, a revoked or expired session or token, or a lost role ends the stream.
 */
export function stillAuthorized(request: Request, permission: Permission): () => Promise<boolean> {
  return async () => decide(await identify(request, { recheck: true }), permission).allowed;
}

/** authenticate() and the permission check in one step, for route handlers. */
export async function authorizeRequest(request: Request, permission: Permission): Promise<{ principal: Principal; context: RequestContext }> {
  const result = await authenticate(request);
  authorize(result.principal, permission);
  return result;
}
