import "server-only";
import { database, type Db } from "../shared/db";

export * from "./contract";
export { recordNotification } from "./record-event";
export { startNotifications } from "./start-notifications";
export { startNotificationWorker, type NotificationWorker } from "./worker";
export { notificationSettings } from "./settings";
export { listDeliveries, resendDelivery, listSlackMessages } from "./deliveries";

/** The database the notification pages and routes read through (they never reach it themselves). */
export async function notificationsDb(): Promise<Db> {
  return (await database()).prisma;
}
