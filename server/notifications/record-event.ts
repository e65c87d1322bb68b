import "server-only";
import type { DbTx } from "../shared/db";
import type { Prisma } from "../shared/generated/prisma/client";
import { notificationPayloadSchema, type NotificationInput } from "./contract";

/**
 * Writes a notifiable event into the outbox, with the transaction of the change it reports: it commits with the change
 * or not at all. Delivery happens later in the worker, so a slow or failing receiver never holds or undoes the change.
 */
export async function recordNotification(tx: DbTx, input: NotificationInput): Promise<void> {
  const payload = notificationPayloadSchema.parse(input);
  await tx.notificationEvent.create({
    data: { kind: payload.kind, rolloutId: payload.rolloutId, payload: payload as unknown as Prisma.InputJsonValue },
  });
}
