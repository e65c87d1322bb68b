import "server-only";
import { withAudit, type RequestContext } from "../audit";
import type { Db } from "../shared/db";
import { NotFoundError } from "../shared/errors";
import { consumeRateLimit } from "../shared/rate-limit";
import { findApiTokens, insertApiToken } from "./api-tokens";
import { authorize } from "./permissions";
import type { CreateTokenInput, Principal } from "./types";

/** Creates a token for the caller or, for an admin, a squad. The secret is returned once and never stored. */
export async function createApiToken(db: Db, principal: Principal, context: RequestContext, input: CreateTokenInput) {
  authorize(principal, { action: "token.create", forTeam: input.team ?? null });
  if (principal.kind !== "session") throw new Error("unreachable: tokens cannot create tokens");
  await consumeRateLimit(db, `token-create:${principal.person.id}`, 10, 60);
  const team = input.team ? await db.team.findUnique({ where: { name: input.team }, select: { id: true, name: true } }) : null;
  if (input.team && !team) throw new NotFoundError(`There is no team named "${input.team}".`);
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  return withAudit(db, context, async (tx, audit) => {
    const created = await insertApiToken(tx, {
      name: input.name,
      scopes: input.scopes,
      expiresAt,
      ...(team ? { ownerTeamId: team.id } : { ownerPersonId: principal.person.id }),
      createdById: principal.person.id,
    });
    await audit({
      action: "token.create",
      targetType: "api_token",
      targetId: created.id,
      details: {
        after: {
          name: input.name,
          prefix: created.prefix,
          scopes: input.scopes,
          owner: team ? `team:${team.name}` : `person:${principal.person.name}`,
          expiresAt: expiresAt.toISOString(),
        },
      },
    });
    return { id: created.id, token: created.token, prefix: created.prefix, expiresAt: expiresAt.toISOString() };
  });
}

export async function revokeApiToken(db: Db, principal: Principal, context: RequestContext, tokenId: string) {
  const token = await db.apiToken.findUnique({
    where: { id: tokenId },
    select: { id: true, name: true, prefix: true, revokedAt: true, ownerPersonId: true, ownerTeam: { select: { name: true } } },
  });
  if (!token) throw new NotFoundError("There is no such token.");
  authorize(principal, { action: "token.revoke", ownerPersonId: token.ownerPersonId, ownerTeam: token.ownerTeam?.name ?? null });
  if (token.revokedAt) return { revoked: false };
  return withAudit(db, context, async (tx, audit) => {
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await audit({ action: "token.revoke", targetType: "api_token", targetId: token.id, details: { before: { name: token.name, prefix: token.prefix } } });
    return { revoked: true };
  });
}

export async function listApiTokens(db: Db, principal: Principal) {
  authorize(principal, { action: "token.create", forTeam: null });
  if (principal.kind !== "session") return [];
  const admin = principal.person.roles.includes("admin");
  // People see their own tokens and their squads' (to know what CI uses); admins see every token.
  const teams = principal.person.teams.length ? await db.team.findMany({ where: { name: { in: principal.person.teams } }, select: { id: true } }) : [];
  return findApiTokens(db, { personId: principal.person.id, teamIds: teams.map((t) => t.id), all: admin });
}
