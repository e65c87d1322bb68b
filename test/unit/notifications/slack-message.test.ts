import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SlackMessage } from "@/components/notifications/slack-message";
import { notificationPayloadSchema } from "@/server/notifications/contract";
import { slackMessage } from "@/server/notifications/messages";

describe("what Slack would show", () => {
  it("renders a checkpoint's Block Kit message readably, with its mentions and a working button", () => {
    const payload = notificationPayloadSchema.parse({
      kind: "checkpoint.awaiting_approval",
      occurredAt: "2026-12-06T00:00:00Z",
      rolloutId: "r-1",
      service: "card-api",
      team: "cards",
      environment: "production",
      version: "2.5.0",
      previousVersion: "2.4.0",
      requestedBy: "Amara Okafor",
      reason: "weekly <release> & fixes",
      evidence: "2 releases since 2.4.0 (commit 0123abc); staging: succeeded",
      commitUrl: "https://git.example/c/1",
      approvers: [{ name: "tom.hughes", displayName: "Tom Hughes", email: "tom@example.com" }],
    });
    const message = slackMessage(payload, "https://slipway.example/", (p) => (p.email ? "<@U0TOM>" : p.name));
    const html = renderToStaticMarkup(
      createElement(SlackMessage, {
        view: {
          id: "d",
          target: "slack:#squad-cards",
          channel: "#squad-cards",
          state: "delivered",
          createdAt: "2026-12-06T00:00:00Z",
          kind: payload.kind,
          mentions: ["tom.hughes"],
          message,
        },
        highlight: true,
      }),
    );
    expect(html).toContain("Checkpoint: card-api 2.5.0 to production awaits approval");
    expect(html).toContain("<strong>Version</strong>");
    expect(html).toContain("2.4.0 → 2.5.0");
    // Escaped for Slack, shown as written.
    expect(html).toContain("weekly &lt;release&gt; &amp; fixes");
    expect(html).toContain("@U0TOM");
    expect(html).toContain('href="https://slipway.example/rollouts/r-1"');
    expect(html).toContain('href="https://git.example/c/1"');
    expect(html).toContain("mentions you");
  });
});
