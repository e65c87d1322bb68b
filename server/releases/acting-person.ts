import "server-only";
import type { DbTx } from "../shared/db";
import type { ActingAs } from "./rollout-backend";

/**
 * Who the cluster sees acting for a person, when it impersonates: their email (or name) and the groups of their
 * latest sign-in. The one impersonation path, for applies and operations alike, so a right granted to a group works
 * for both.
 */
export async function actingPerson(db: DbTx, personId: string | null): Promise<ActingAs> {
  if (!personId) return undefined;
  const person = await db.person.findUnique({
    where: { id: personId },
    select: { name: true, email: true, sessions: { orderBy: { createdAt: "desc" }, take: 1, select: { groups: true } } },
  });
  return person ? { user: person.email ?? person.name, groups: person.sessions[0]?.groups ?? [] } : undefined;
}

/** An approved rollout acts as the person who gave its last approval, else as the person who asked for it. */
export async function actingForRollout(db: DbTx, rolloutId: string): Promise<ActingAs> {
  const approval = await db.approval.findFirst({
    where: { checkpoint: { rolloutId, kind: "deploy" }, decision: "approve" },
    orderBy: { createdAt: "desc" },
    select: { personId: true },
  });
  const personId = approval?.personId ?? (await db.rollout.findUnique({ where: { id: rolloutId }, select: { requestedById: true } }))?.requestedById ?? null;
  return actingPerson(db, personId);
}
