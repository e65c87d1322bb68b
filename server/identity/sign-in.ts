import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { config } from "../shared/config";
import type { Db } from "../shared/db";
import { logger } from "../shared/logger";
import { consumeRateLimit } from "../shared/rate-limit";
import { finishSignIn, startSignIn } from "./oidc";
import { signInError } from "./sign-in-errors";
import { rolesForGroups } from "./role-mapping";
import { createSession, revokeSession, signInMethodEnabled, type NewSession } from "./sessions";
import type { Principal } from "./types";

const attemptTtlMs = 10 * 60_000;

const returnToBase = "http://slipway.invalid";
const unsafeInPath = /[\u0000-\u001f\u007f\\]/;

/** Decodes percent-escapes until nothing changes, so "%252F%252F" is judged as "//"; undefined when malformed. */
function fullyDecoded(value: string): string | undefined {
  let current = value;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) return current;
    current = next;
  }
  return undefined;
}

/** Whether `path`, normalised ("/.//x" is "//x"), stays on this site with a path of its own. */
function isSameOriginPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//")) return false;
  try {
    const url = new URL(path, returnToBase);
    return url.origin === returnToBase && !url.pathname.startsWith("//");
  } catch {
    return false;
  }
}

/**
 * Where to send a person after sign-in: only paths on this site, never another origin. The URL is normalised first
 * ("/..//evil" becomes "//evil") and the normalised form is what is judged and returned, so no spelling slips past.
 */
export function safeReturnTo(value: string | null | undefined): string {
  // Control characters and backslashes are dropped or rewritten by URL parsers ("/\t/evil.com" -> //evil.com).
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 500 || unsafeInPath.test(value)) return "/";
  let url: URL;
  try {
    url = new URL(value, returnToBase);
  } catch {
    return "/";
  }
  if (url.origin !== returnToBase || !isSameOriginPath(url.pathname)) return "/";
  // A proxy or framework that decodes the path once more must not find "//host" or "/\host" in it either.
  const decodedPath = fullyDecoded(url.pathname);
  if (decodedPath === undefined || unsafeInPath.test(decodedPath) || !isSameOriginPath(decodedPath)) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isSameOriginPath(path) ? path : "/";
}

export function demoSignInEnabled(): boolean {
  return signInMethodEnabled("demo");
}

export async function beginOidcSignIn(db: Db, ip: string | undefined, redirectUri: string, returnTo: string) {
  const settings = config().oidc;
  if (!settings) throw signInError(404, "sso_unavailable");
  await consumeRateLimit(db, `signin:${ip ?? "?"}`, 30, 60);
  const start = await startSignIn(settings, redirectUri);
  await db.signInAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - attemptTtlMs) } } });
  await db.signInAttempt.create({
    data: { state: start.state, codeVerifier: start.codeVerifier, nonce: start.nonce, returnTo: safeReturnTo(returnTo) },
  });
  return { url: start.url, state: start.state };
}

/** Completes the code flow, links the identity to a catalogue person by email, and opens a session. */
export async function completeOidcSignIn(
  db: Db,
  input: { callbackUrl: URL; cookieState: string | undefined; ip: string | undefined; userAgent: string | undefined; redirectUri: string },
): Promise<{ session: NewSession; returnTo: string }> {
  const settings = config().oidc;
  if (!settings) throw signInError(404, "sso_unavailable");
  await consumeRateLimit(db, `signin:${input.ip ?? "?"}`, 30, 60);
  const state = input.callbackUrl.searchParams.get("state");
  const providerError = input.callbackUrl.searchParams.get("error");
  if (providerError) {
    logger().info({ error: providerError.slice(0, 200) }, "the identity provider refused a sign-in");
    throw signInError(400, "provider_refused");
  }
  // The state must be the one this browser started with, or someone is replaying a code into our session.
  if (!state || !input.cookieState || state !== input.cookieState) throw signInError(400, "not_started_here");
  const attempt = await db.signInAttempt.findUnique({ where: { state } });
  if (!attempt || Date.now() - attempt.createdAt.getTime() > attemptTtlMs) throw signInError(400, "expired");
  await db.signInAttempt.delete({ where: { state } });

  const callback = new URL(input.redirectUri);
  callback.search = input.callbackUrl.search;
  const identity = await finishSignIn(settings, callback, attempt);
  const grants = rolesForGroups(identity.groups, config().roleMap);

  const context: RequestContext = { actor: { type: "system", name: "sign-in" }, requestId: crypto.randomUUID(), sourceIp: input.ip };
  const session = await withAudit(db, context, async (tx, audit) => {
    let person = await tx.person.findUnique({ where: { email: identity.email }, select: { id: true, name: true } });
    const created = !person;
    if (!person) {
      const base =
        identity.email
          .split("@")[0]!
          .replace(/[^a-zA-Z0-9._-]/g, "")
          .slice(0, 50) || "person";
      const taken = await tx.person.count({ where: { name: { startsWith: base } } });
      person = await tx.person.create({
        data: { name: taken ? `${base}-${taken + 1}` : base, email: identity.email, displayName: identity.name ?? null },
        select: { id: true, name: true },
      });
    }
    await tx.person.update({
      where: { id: person.id },
      data: { roles: grants.roles, approverTeams: grants.approverTeams, approverTiers: grants.approverTiers, lastSignInAt: new Date() },
    });
    const newSession = await createSession(tx, {
      personId: person.id,
      method: "oidc",
      groups: identity.groups,
      ...(input.ip ? { ip: input.ip } : {}),
      ...(input.userAgent ? { userAgent: input.userAgent } : {}),
      hours: config().sessionHours,
    });
    await audit({
      action: "auth.sign_in",
      targetType: "person",
      targetId: person.name,
      details: {
        method: "oidc",
        subject: identity.subject,
        email: identity.email,
        groups: identity.groups,
        roles: grants.roles,
        personCreated: created,
        sessionId: newSession.sessionId,
      },
    });
    return newSession;
  });
  return { session, returnTo: attempt.returnTo };
}

/** The embedded default's sign-in: become any demo person. Absent whenever single sign-on is configured. */
export async function demoSignIn(db: Db, input: { personName: string; ip: string | undefined; userAgent: string | undefined }): Promise<NewSession> {
  if (!demoSignInEnabled()) throw signInError(404, "demo_unavailable");
  await consumeRateLimit(db, `signin:${input.ip ?? "?"}`, 60, 60);
  const person = await db.person.findUnique({ where: { name: input.personName }, select: { id: true, name: true, roles: true } });
  if (!person) throw signInError(404, "unknown_person");
  const context: RequestContext = { actor: { type: "person", id: person.id, name: person.name }, requestId: crypto.randomUUID(), sourceIp: input.ip };
  return withAudit(db, context, async (tx, audit) => {
    await tx.person.update({ where: { id: person.id }, data: { lastSignInAt: new Date() } });
    const session = await createSession(tx, {
      personId: person.id,
      method: "demo",
      ...(input.ip ? { ip: input.ip } : {}),
      ...(input.userAgent ? { userAgent: input.userAgent } : {}),
      hours: config().sessionHours,
    });
    await audit({
      action: "auth.sign_in",
      targetType: "person",
      targetId: person.name,
      details: { method: "demo", roles: person.roles, sessionId: session.sessionId },
    });
    return session;
  });
}

export async function signOut(db: Db, principal: Principal, context: RequestContext): Promise<void> {
  if (principal.kind !== "session") return;
  await withAudit(db, context, async (tx, audit) => {
    await revokeSession(tx, principal.sessionId);
    await audit({ action: "auth.sign_out", targetType: "person", targetId: principal.person.name, details: { sessionId: principal.sessionId } });
  });
}
