import "server-only";
import type { NotificationsConfig } from "../shared/config-file";
import type { Db } from "../shared/db";
import { startDemoSlack } from "./demo-receiver";
import { notificationSettings } from "./settings";
import { startNotificationWorker, type NotificationWorker } from "./worker";

export type Notifications = { worker: NotificationWorker; stop(): Promise<void> };

/**
 * Starts the delivery worker with the config file's notifications section. `demo` (the embedded default, no config
 * file) adds a loopback Slack that every squad's channel posts to, so the flow can be seen without Slack.
 */
export async function startNotifications(options: {
  db: Db;
  config: NotificationsConfig | undefined;
  publicUrl: string;
  demo?: boolean;
  intervalMs?: number;
}): Promise<Notifications> {
  const demoSlack = options.demo ? await startDemoSlack() : undefined;
  const settings = notificationSettings(
    demoSlack
      ? {
          targets: [{ name: "demo-slack", type: "slack-bot", token: demoSlack.token, apiUrl: demoSlack.apiUrl, lookupUsers: true }],
          defaults: [],
          squadChannels: "demo-slack",
          environments: {},
          timeoutSeconds: 5,
          retry: { maxAttempts: 5, baseSeconds: 1, capSeconds: 30 },
        }
      : options.config,
  );
  const worker = startNotificationWorker({ db: options.db, settings, publicUrl: options.publicUrl, intervalMs: options.intervalMs });
  return {
    worker,
    async stop() {
      await worker.stop();
      await demoSlack?.stop();
    },
  };
}
