import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../../server/notifications/backoff";
import { notificationPayloadSchema } from "../../../server/notifications/contract";
import { notificationSettings, routesFor } from "../../../server/notifications/settings";
import { parseSlipwayConfig } from "../../../server/shared/config-file";

const config = (notifications: string) => `environments:
  - { name: staging }
  - { name: production, production: true }
notifications:
${notifications}`;

describe("notification routing and retries", () => {
  it("waits a random time up to an exponentially growing ceiling, never past the cap", () => {
    const retry = { baseMs: 1000, capMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, retry, () => 0.999))).toEqual([999, 1998, 3996, 7992]);
    expect(retryDelayMs(20, retry, () => 0.999)).toBe(59_940);
    expect(retryDelayMs(3, retry, () => 0)).toBe(0);
  });

  it("sends to the squad's channel and the defaults, and lets an environment replace them", () => {
    const file = parseSlipwayConfig(
      config(`  targets:
    - { name: slack, type: slack-bot, token: { env: SLACK_BOT_TOKEN } }
    - { name: audit-hook, type: webhook, url: "https://hooks.example/slipway", secret: { env: HOOK_SECRET } }
    - { name: ops-teams, type: teams-webhook, url: { env: TEAMS_URL } }
  defaults: [audit-hook]
  squadChannels: slack
  environments:
    production: { targets: [audit-hook, ops-teams], channels: ["#releases"] }
`),
      "slipway.config.yaml",
    );
    const settings = notificationSettings(file.notifications, { SLACK_BOT_TOKEN: "xoxb-1", HOOK_SECRET: "s", TEAMS_URL: "https://teams.example/hook" });
    const event = (environment: string) =>
      notificationPayloadSchema.parse({ kind: "rollout.succeeded", occurredAt: "2026-12-06T00:00:00Z", environment, teamChannel: "#squad-cards" });
    expect(routesFor(event("staging"), settings).map((r) => r.key)).toEqual(["audit-hook", "slack:#squad-cards"]);
    expect(routesFor(event("production"), settings).map((r) => r.key)).toEqual(["audit-hook", "ops-teams", "slack:#squad-cards", "slack:#releases"]);
  });

  it("names the line and key of a target that does not exist or a secret that is not set", () => {
    expect(() => parseSlipwayConfig(config(`  targets: []\n  defaults: [nowhere]\n`), "slipway.config.yaml")).toThrow(
      /slipway.config.yaml:\d+ notifications.defaults.0: "nowhere" is not one of the targets/,
    );
    const file = parseSlipwayConfig(
      config(`  targets:\n    - { name: hook, type: webhook, url: "https://x.example", secret: { env: MISSING_SECRET } }\n`),
      "c.yaml",
    );
    expect(() => notificationSettings(file.notifications, {})).toThrow(/notifications.targets.hook: environment variable MISSING_SECRET is not set/);
  });
});
