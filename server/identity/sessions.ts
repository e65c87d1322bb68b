import "server-only";
import { config } from "../shared/config";
import type { Db, DbTx } from "../shared/db";
import { toIdentity } from "./person-repository";
import { randomToken, sha256 } from "./secrets";
import type { Principal } from "./types";

export const sessionCookie = "slipway_session";
export const csrfCookie = "slipway_csrf";

export type NewSession = { token: string; csrfToken: string; expiresAt: Date; sessionId: string };

export async function createSession(
  tx: DbTx,
  input: { personId: string; method: "oidc" | "demo"; groups?: string[]; ip?: string; userAgent?: string; hours: number },
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + input.hours * 3_600_000);
  const session = await tx.session.create({
    data: {
      tokenHash: sha256(token),
      csrfToken,
      personId: input.personId,
      method: input.method,
      groups: input.groups ?? [],
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    },
    select: { id: true },
  });
  return { token, csrfToken, expiresAt, sessionId: session.id };
}

type SessionRow = {
  id: string;
  csrf_token: string;
  method: string;
  expires_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date;
  person_id: string;
  name: string;
  display_name: string | null;
  email: string | null;
  roles: string[];
  approver_teams: string[];
  approver_tiers: number[];
  teams: string[];
};

type SessionPrincipal = Extract<Principal, { kind: "session" }>;

/**
 * Reads may use a session checked this recently; a write always asks the database. So a session revoked by another
 * Slipway instance (or in the database) still reads for at most this long, and never changes anything again.
 * Signing out on this instance takes effect at once.
 */
export const sessionReadCacheMs = 5_000;
const cacheLimit = 10_000;
type CacheEntry = { principal: SessionPrincipal; checkedAt: number; expiresAt: number };
/** `checks` by token hash; `revoking`: session id -> until when no check of it may be cached. */
type Cache = { checks: Map<string, CacheEntry>; revoking: Map<string, number> };
// On globalThis: the custom server and the Next.js bundles load this module separately.
const cacheKey = Symbol.for("slipway.sessionReadCache");
const cache: Cache = ((globalThis as Record<symbol, unknown>)[cacheKey] ??= { checks: new Map(), revoking: new Map() }) as Cache;

/**
 * Marks a session as being revoked before the revoking transaction commits: a read that checked the session just
 * before the commit must not put it back in the cache, so none is cached while the mark lasts.
 */
function markRevoking(sessionId: string): void {
  const now = Date.now();
  for (const [id, until] of cache.revoking) if (until <= now) cache.revoking.delete(id);
  cache.revoking.set(sessionId, now + 2 * sessionReadCacheMs);
  for (const [hash, entry] of cache.checks) if (entry.principal.sessionId === sessionId) cache.checks.delete(hash);
}

const isRevoking = (sessionId: string, now: number) => (cache.revoking.get(sessionId) ?? 0) > now;

/**
 * Whether sessions opened with `method` still count: switching single sign-on on ends every demo session (anyone
 * could become anyone there), and switching it off ends the single sign-on ones. API tokens are not sessions.
 */
export function signInMethodEnabled(method: string): boolean {
  const c = config();
  if (method === "oidc") return Boolean(c.oidc);
  if (method === "demo") return !c.oidc && c.demo;
  return false;
}

/**
 * A live session for the cookie's token, or null when unknown, expired or revoked. Every signed-in request asks
 * this, so it is one statement (session, person and team names together) rather than a query per relation, and a
 * read (`forWrite` false) may answer from a check at most `sessionReadCacheMs` old.
 */
export async function findSessionPrincipal(db: Db, token: string, options: { forWrite?: boolean } = {}): Promise<Principal | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const hash = sha256(token);
  const now = Date.now();
  const cached = cache.checks.get(hash);
  if (cached && !options.forWrite && now - cached.checkedAt < sessionReadCacheMs && cached.expiresAt > now && !isRevoking(cached.principal.sessionId, now)) {
    return signInMethodEnabled(cached.principal.method) ? cached.principal : null;
  }
  cache.checks.delete(hash);
  const [session] = await db.$queryRaw<SessionRow[]>`
    SELECT s.id, s.csrf_token, s.method, s.expires_at, s.revoked_at, s.last_seen_at, p.id AS person_id, p.name,
      p.display_name, p.email, p.roles, p.approver_teams, p.approver_tiers,
      array(SELECT t.name FROM membership m JOIN team t ON t.id = m.team_id WHERE m.person_id = p.id) AS teams
    FROM session s JOIN person p ON p.id = s.person_id
    WHERE s.token_hash = ${hash}`;
  if (!session || session.revoked_at || session.expires_at.getTime() <= now || !signInMethodEnabled(session.method)) return null;
  // Record activity at most once a minute: a page view should not be a write.
  if (now - session.last_seen_at.getTime() > 60_000) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  const person = toIdentity({
    id: session.person_id,
    name: session.name,
    displayName: session.display_name,
    email: session.email,
    roles: session.roles,
    approverTeams: session.approver_teams,
    approverTiers: session.approver_tiers,
    memberships: session.teams.map((name) => ({ team: { name } })),
  });
  const principal: SessionPrincipal = { kind: "session", person, sessionId: session.id, csrfToken: session.csrf_token, method: session.method };
  if (!isRevoking(session.id, Date.now())) {
    if (cache.checks.size >= cacheLimit) cache.checks.delete(cache.checks.keys().next().value!);
    cache.checks.set(hash, { principal, checkedAt: now, expiresAt: session.expires_at.getTime() });
  }
  return principal;
}

export async function revokeSession(tx: DbTx, sessionId: string): Promise<void> {
  markRevoking(sessionId);
  await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}
