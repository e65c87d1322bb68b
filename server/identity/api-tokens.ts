import "server-only";
import type { Db, DbTx } from "../shared/db";
import { personSelect, toIdentity } from "./person-repository";
import { randomToken, sha256 } from "./secrets";
import { tokenScopes, type ApiTokenView, type Principal, type TokenScope } from "./types";

/** Tokens carry a recognisable prefix so secret scanners and people can spot a leaked one. */
export const tokenPrefix = "slw_";

export async function insertApiToken(
  tx: DbTx,
  input: { name: string; scopes: TokenScope[]; expiresAt: Date; ownerPersonId?: string; ownerTeamId?: string; createdById: string },
): Promise<{ token: string; id: string; prefix: string }> {
  const token = `${tokenPrefix}${randomToken(30)}`;
  const prefix = token.slice(0, 10);
  const row = await tx.apiToken.create({
    data: {
      name: input.name,
      prefix,
      tokenHash: sha256(token),
      scopes: input.scopes,
      ownerPersonId: input.ownerPersonId ?? null,
      ownerTeamId: input.ownerTeamId ?? null,
      createdById: input.createdById,
      expiresAt: input.expiresAt,
    },
    select: { id: true },
  });
  return { token, id: row.id, prefix };
}

export async function findTokenPrincipal(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith(tokenPrefix) || token.length > 100) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      name: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      ownerPerson: { select: personSelect },
      ownerTeam: { select: { id: true, name: true } },
    },
  });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const known = new Set<string>(tokenScopes);
  return {
    kind: "token",
    tokenId: row.id,
    tokenName: row.name,
    scopes: row.scopes.filter((s): s is TokenScope => known.has(s)),
    ...(row.ownerPerson ? { person: toIdentity(row.ownerPerson) } : {}),
    ...(row.ownerTeam ? { team: row.ownerTeam } : {}),
  };
}

export async function findApiTokens(db: Db, owner: { personId?: string; teamIds?: string[]; all?: boolean }): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: owner.all ? {} : { OR: [{ ownerPersonId: owner.personId ?? "00000000-0000-0000-0000-000000000000" }, { ownerTeamId: { in: owner.teamIds ?? [] } }] },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      ownerPerson: { select: { name: true } },
      ownerTeam: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    owner: r.ownerTeam ? { kind: "team" as const, name: r.ownerTeam.name } : { kind: "person" as const, name: r.ownerPerson?.name ?? "" },
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}
