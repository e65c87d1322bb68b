import "server-only";
import type { Db, DbTx } from "../shared/db";
import { personSelect, toIdentity } from "./person-repository";
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

/** A live session for the cookie's token, or null when unknown, expired or revoked. */
export async function findSessionPrincipal(db: Db, token: string): Promise<Principal | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, csrfToken: true, method: true, expiresAt: true, revokedAt: true, lastSeenAt: true, person: { select: personSelect } },
  });
  if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
  // Record activity at most once a minute: a page view should not be a write.
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return { kind: "session", person: toIdentity(session.person), sessionId: session.id, csrfToken: session.csrfToken, method: session.method };
}

export async function revokeSession(tx: DbTx, sessionId: string): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeSessionsOf(tx: DbTx, personId: string): Promise<number> {
  const result = await tx.session.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count;
}
