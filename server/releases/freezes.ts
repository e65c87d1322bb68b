import "server-only";
import { withAudit, type RequestContext } from "../audit";
import { authorizeMutation, type Principal } from "../identity";
import type { Db, DbTx } from "../shared/db";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors";
import { notifyFreeze } from "./notify-event";

export type FreezeView = {
  id: string;
  service: string | null;
  environment: string | null;
  reason: string;
  createdBy: string;
  startsAt: string;
  endsAt: string;
};

/** The freeze that blocks changing `service` in `environment` now, if any: global ones first. */
export async function activeFreeze(db: DbTx, serviceId: string, environment: string): Promise<FreezeView | null> {
  const now = new Date();
  const freeze = await db.freeze.findFirst({
    where: {
      liftedAt: null,
      startsAt: { lte: now },
      endsAt: { gt: now },
      AND: [{ OR: [{ serviceId: null }, { serviceId }] }, { OR: [{ environment: null }, { environment }] }],
    },
    orderBy: [{ serviceId: { sort: "asc", nulls: "first" } }, { endsAt: "desc" }],
    include: { service: { select: { name: true } } },
  });
  return freeze ? toView(freeze) : null;
}

function toView(f: {
  id: string;
  service: { name: string } | null;
  environment: string | null;
  reason: string;
  createdByName: string;
  startsAt: Date;
  endsAt: Date;
}): FreezeView {
  return {
    id: f.id,
    service: f.service?.name ?? null,
    environment: f.environment,
    reason: f.reason,
    createdBy: f.createdByName,
    startsAt: f.startsAt.toISOString(),
    endsAt: f.endsAt.toISOString(),
  };
}

export async function assertNotFrozen(db: DbTx, serviceId: string, environment: string, what: string): Promise<void> {
  const freeze = await activeFreeze(db, serviceId, environment);
  if (freeze) {
    const scope = freeze.service ? `${freeze.service} is locked` : "Deploys are frozen";
    throw new ConflictError(`${scope} until ${freeze.endsAt} (${freeze.reason}, by ${freeze.createdBy}): ${what} is blocked. Rollbacks are still allowed.`, {
      freeze,
    });
  }
}

/**
 * Of listed freezes, the one in force for `service` in `environment` at `now`: the rule activeFreeze asks Postgres
 * (started, not ended, global ones first, then the one ending last), for pages that already hold the list.
 */
export function freezeInForce(freezes: FreezeView[], service: string, environment: string, now = new Date()): FreezeView | null {
  const t = now.getTime();
  const applies = freezes.filter(
    (f) =>
      (f.service === null || f.service === service) &&
      (f.environment === null || f.environment === environment) &&
      Date.parse(f.startsAt) <= t &&
      Date.parse(f.endsAt) > t,
  );
  applies.sort((a, b) => Number(a.service !== null) - Number(b.service !== null) || Date.parse(b.endsAt) - Date.parse(a.endsAt));
  return applies[0] ?? null;
}

export async function listFreezes(db: Db): Promise<FreezeView[]> {
  const rows = await db.freeze.findMany({
    where: { liftedAt: null, endsAt: { gt: new Date() } },
    orderBy: { startsAt: "asc" },
    include: { service: { select: { name: true } } },
  });
  return rows.map(toView);
}

export async function createFreeze(
  db: Db,
  principal: Principal,
  context: RequestContext,
  input: { service?: string | undefined; environment?: string | undefined; reason: string; endsAt: string },
): Promise<FreezeView> {
  const service = input.service
    ? await db.service.findUnique({
        where: { kind_name: { kind: "component", name: input.service } },
        select: { id: true, name: true, team: { select: { name: true } } },
      })
    : null;
  if (input.service && !service) throw new NotFoundError(`There is no service named "${input.service}".`);
  await authorizeMutation(db, principal, context, { action: "freeze.create", team: service?.team?.name ?? null, global: !service });
  const endsAt = new Date(input.endsAt);
  if (endsAt.getTime() <= Date.now()) throw new ValidationError("A freeze must end in the future.", [{ path: "endsAt", message: "in the past" }]);
  const person = principal.person;
  if (!person) throw new ValidationError("A freeze is set by a person.");
  return withAudit(db, context, async (tx, audit) => {
    const row = await tx.freeze.create({
      data: {
        serviceId: service?.id ?? null,
        environment: input.environment ?? null,
        reason: input.reason,
        endsAt,
        createdById: person.id,
        createdByName: person.name,
      },
      include: { service: { select: { name: true } } },
    });
    await audit({
      action: "freeze.create",
      targetType: service ? "service" : "freeze",
      targetId: service?.name ?? row.id,
      details: { after: { reason: input.reason, environment: input.environment ?? "all", endsAt: endsAt.toISOString() } },
    });
    await notifyFreeze(tx, "freeze.started", row, person.displayName ?? person.name);
    return toView(row);
  });
}

export async function liftFreeze(db: Db, principal: Principal, context: RequestContext, id: string): Promise<{ lifted: boolean }> {
  const freeze = await db.freeze.findUnique({ where: { id }, include: { service: { select: { name: true, team: { select: { name: true } } } } } });
  if (!freeze) throw new NotFoundError("There is no such freeze.");
  // A freeze is lifted by a person: the one who set it, or an admin (never a squad's CI token).
  await authorizeMutation(db, principal, context, {
    action: "freeze.lift",
    team: freeze.service?.team?.name ?? null,
    global: !freeze.service,
    createdBy: freeze.createdById,
    createdByName: freeze.createdByName,
  });
  if (freeze.liftedAt) return { lifted: false };
  return withAudit(db, context, async (tx, audit) => {
    await tx.freeze.update({ where: { id }, data: { liftedAt: new Date() } });
    await audit({
      action: "freeze.lift",
      targetType: freeze.service ? "service" : "freeze",
      targetId: freeze.service?.name ?? id,
      details: { before: { reason: freeze.reason, endsAt: freeze.endsAt.toISOString() } },
    });
    await notifyFreeze(tx, "freeze.lifted", freeze, context.actor.name);
    return { lifted: true };
  });
}
