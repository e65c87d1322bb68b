import "server-only";
import { z } from "zod";
import { withAudit, type RequestContext } from "../audit";
import { authorize, authorizeMutation, type Principal } from "../identity";
import type { Db } from "../shared/db";
import { Prisma } from "../shared/generated/prisma/client";
import { ConflictError, NotFoundError } from "../shared/errors";
import { notificationPayloadSchema, type DeliveryState, type DeliveryView, type NotificationKind, type SlackMessage, type SlackMessageView } from "./contract";
import { summaryOf } from "./messages";

const include = {
  event: { select: { kind: true, payload: true, rolloutId: true } },
  attemptLog: { orderBy: { number: "desc" as const }, take: 20 },
};
type Row = NonNullable<Awaited<ReturnType<Db["notificationDelivery"]["findFirst"]>>> & {
  event: { kind: string; payload: unknown; rolloutId: string | null };
  attemptLog: Array<{ number: number; startedAt: Date; durationMs: number; statusCode: number | null; error: string | null; ok: boolean; worker: string }>;
};

function toView(row: Row): DeliveryView {
  const payload = notificationPayloadSchema.safeParse(row.event.payload);
  return {
    id: row.id,
    eventId: row.eventId,
    kind: row.event.kind as NotificationKind,
    summary: payload.success ? summaryOf(payload.data) : row.event.kind,
    rolloutId: row.event.rolloutId,
    target: row.target,
    targetType: row.targetType,
    channel: row.channel,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    attemptLog: row.attemptLog.map((a) => ({ ...a, startedAt: a.startedAt.toISOString() })),
  };
}

/** The delivery log, newest first: admins only (it shows receivers' errors and every event). */
export async function listDeliveries(
  db: Db,
  principal: Principal | null,
  query: { state?: DeliveryState | undefined; limit: number },
): Promise<{ deliveries: DeliveryView[]; counts: Record<DeliveryState, number> }> {
  authorize(principal, { action: "admin" });
  const rows = await db.notificationDelivery.findMany({
    where: query.state ? { state: query.state } : {},
    orderBy: { createdAt: "desc" },
    take: query.limit,
    include,
  });
  const grouped = await db.notificationDelivery.groupBy({ by: ["state"], _count: { _all: true } });
  const counts: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const g of grouped) counts[g.state as DeliveryState] = g._count._all;
  return { deliveries: (rows as Row[]).map(toView), counts };
}

/**
 * An admin sends a delivery again: a failed one gets a fresh set of attempts, a delivered one a new idempotency key
 * (the receiver lost or deleted it), a pending one goes out now. One sent at this moment is left to its worker.
 */
export async function resendDelivery(db: Db, principal: Principal | null, context: RequestContext, id: string): Promise<DeliveryView> {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("There is no such delivery.");
  await authorizeMutation(db, principal, context, { action: "admin" });
  return withAudit(db, context, async (tx, audit) => {
    const row = await tx.notificationDelivery.findUnique({ where: { id }, include });
    if (!row) throw new NotFoundError("There is no such delivery.");
    const now = new Date();
    if (row.leaseUntil && row.leaseUntil > now) throw new ConflictError("This delivery is being sent right now; look again in a moment.");
    await tx.notificationDelivery.update({
      where: { id },
      data: {
        state: "pending",
        nextAttemptAt: now,
        leaseToken: null,
        leaseUntil: null,
        ...(row.state === "failed" ? { attempts: 0 } : {}),
        ...(row.state === "delivered" ? { resends: { increment: 1 }, deliveredAt: null } : {}),
      },
    });
    await audit({
      action: "notification.resend",
      targetType: "notification_delivery",
      targetId: id,
      details: { target: row.target, event: row.event.kind, before: { state: row.state, attempts: row.attempts }, after: { state: "pending" } },
    });
    return toView((await tx.notificationDelivery.findUniqueOrThrow({ where: { id }, include })) as Row);
  });
}

/** What Slack received (or will): the Block Kit messages sent to Slack targets, newest first. */
export async function listSlackMessages(db: Db, principal: Principal | null, limit = 50): Promise<SlackMessageView[]> {
  authorize(principal, { action: "catalogue.read" });
  const rows = await db.notificationDelivery.findMany({
    where: { targetType: { in: ["slack-bot", "slack-webhook"] }, NOT: [{ request: { equals: Prisma.AnyNull } }] },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { event: { select: { kind: true, payload: true } } },
  });
  return rows.flatMap((row) => {
    const message = row.request as SlackMessage | null;
    if (!message || !Array.isArray(message.blocks)) return [];
    const payload = notificationPayloadSchema.safeParse(row.event.payload);
    const mentions = payload.success && payload.data.kind === "checkpoint.awaiting_approval" ? payload.data.approvers.map((a) => a.name) : [];
    return [
      {
        id: row.id,
        target: row.target,
        channel: row.channel,
        state: row.state as DeliveryState,
        createdAt: row.createdAt.toISOString(),
        kind: row.event.kind as NotificationKind,
        mentions,
        message,
      },
    ];
  });
}
