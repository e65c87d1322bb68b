import "server-only";
import { resolveSecret, type NotificationsConfig } from "../shared/config-file";
import type { NotificationPayload } from "./contract";

export type Target =
  | { name: string; type: "slack-webhook"; url: string }
  | { name: string; type: "slack-bot"; token: string; apiUrl: string; lookupUsers: boolean }
  | { name: string; type: "teams-webhook"; url: string }
  | { name: string; type: "webhook"; url: string; secret: string };

/** The config's notifications section with secrets resolved: what the worker routes and sends with. */
export type NotificationSettings = {
  targets: Map<string, Target>;
  defaults: string[];
  squadChannels: string | undefined;
  environments: NotificationsConfig["environments"];
  timeoutMs: number;
  retry: { maxAttempts: number; baseMs: number; capMs: number };
};

export function notificationSettings(config: NotificationsConfig | undefined, env: Record<string, string | undefined> = process.env): NotificationSettings {
  const targets = new Map<string, Target>();
  for (const t of config?.targets ?? []) {
    const where = `notifications.targets.${t.name}`;
    if (t.type === "slack-bot") targets.set(t.name, { ...t, token: resolveSecret(t.token, where, env) });
    else if (t.type === "webhook") targets.set(t.name, { ...t, secret: resolveSecret(t.secret, where, env) });
    else targets.set(t.name, { ...t, url: resolveSecret(t.url, where, env) });
  }
  return {
    targets,
    defaults: config?.defaults ?? [],
    squadChannels: config?.squadChannels,
    environments: config?.environments ?? {},
    timeoutMs: (config?.timeoutSeconds ?? 10) * 1000,
    retry: {
      maxAttempts: config?.retry.maxAttempts ?? 12,
      baseMs: (config?.retry.baseSeconds ?? 2) * 1000,
      capMs: (config?.retry.capSeconds ?? 900) * 1000,
    },
  };
}

export type Route = { key: string; target: Target; channel: string | null };

/**
 * Where an event goes: the environment's targets (else the defaults), and through the squad-channel bot the owning
 * squad's `slipway.io/chat-channel` plus the environment's extra channels. Each key is unique per event: the
 * delivery table's unique (event, target) is what makes it one delivery per target across replicas.
 */
export function routesFor(payload: NotificationPayload, settings: NotificationSettings): Route[] {
  const override = payload.environment ? settings.environments[payload.environment] : undefined;
  const routes = new Map<string, Route>();
  for (const name of override?.targets ?? settings.defaults) {
    const target = settings.targets.get(name);
    if (target) routes.set(name, { key: name, target, channel: null });
  }
  const bot = settings.squadChannels ? settings.targets.get(settings.squadChannels) : undefined;
  if (bot) {
    const channels = [...(override?.squadChannels !== false && payload.teamChannel ? [payload.teamChannel] : []), ...(override?.channels ?? [])];
    for (const channel of channels) routes.set(`${bot.name}:${channel}`, { key: `${bot.name}:${channel}`, target: bot, channel });
  }
  return [...routes.values()];
}
