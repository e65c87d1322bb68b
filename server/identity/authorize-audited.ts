import "server-only";
import { withAudit, type RequestContext } from "../audit";
import type { Db } from "../shared/db";
import { ForbiddenError, UnauthorizedError } from "../shared/errors";
import { decide, type Decision, type Permission } from "./permissions";
import type { Principal } from "./types";

/**
 * The permission check for mutations: a refusal is itself recorded in the audit trail (who tried what, and why it
 * was refused), in its own transaction, since the refused work never commits. Call it outside a transaction.
 */
export async function authorizeMutation(db: Db, principal: Principal | null, context: RequestContext, permission: Permission): Promise<void> {
  const decision = decide(principal, permission);
  if (!decision.allowed) await refuseMutation(db, principal, context, permission, decision);
}

/** Records a refused mutation and throws the refusal; for checks made inside a transaction, called after it ended. */
export async function refuseMutation(
  db: Db,
  principal: Principal | null,
  context: RequestContext,
  permission: Permission,
  decision: Extract<Decision, { allowed: false }>,
): Promise<never> {
  if (!principal) throw new UnauthorizedError();
  const { action, ...subject } = permission;
  await withAudit(db, context, async (_tx, audit) => {
    await audit({ action: "access.refused", targetType: "permission", targetId: action, details: { reason: decision.reason, ...subject } });
  });
  throw new ForbiddenError(decision.reason);
}
