import "server-only";

export * from "./contract";
export { recordNotification } from "./record-event";
export { startNotifications } from "./start-notifications";
export { startNotificationWorker, type NotificationWorker } from "./worker";
export { notificationSettings } from "./settings";
export { listDeliveries, resendDelivery, listSlackMessages } from "./deliveries";
