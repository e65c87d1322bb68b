import "server-only";
import type { NotificationKind, NotificationPayload, NotifiedPerson, SlackBlock, SlackMessage } from "./contract";

const headline: Record<NotificationKind, string> = {
  "checkpoint.awaiting_approval": "awaits approval",
  "checkpoint.approved": "approved",
  "checkpoint.rejected": "rejected",
  "checkpoint.expired": "expired without a decision",
  "rollout.started": "rolling out",
  "rollout.succeeded": "rolled out",
  "rollout.failed": "failed",
  "rollout.rolled_back": "rolled back",
  "freeze.started": "",
  "freeze.lifted": "",
};

const emoji: Record<NotificationKind, string> = {
  "checkpoint.awaiting_approval": ":hourglass_flowing_sand:",
  "checkpoint.approved": ":white_check_mark:",
  "checkpoint.rejected": ":no_entry:",
  "checkpoint.expired": ":zzz:",
  "rollout.started": ":rocket:",
  "rollout.succeeded": ":tada:",
  "rollout.failed": ":x:",
  "rollout.rolled_back": ":rewind:",
  "freeze.started": ":snowflake:",
  "freeze.lifted": ":sunny:",
};

/** One line saying what happened, for a message's title, a notification's preview and the delivery log. */
export function summaryOf(p: NotificationPayload): string {
  if (p.kind === "freeze.started") return `Freeze: ${p.freeze?.scope ?? "deploys"} frozen until ${p.freeze?.endsAt ?? "further notice"}`;
  if (p.kind === "freeze.lifted") return `Freeze lifted: ${p.freeze?.scope ?? "deploys"}`;
  const step = p.checkpoint?.kind === "promote" ? ` (canary step ${p.checkpoint.step ?? ""})` : "";
  const what = `${p.service ?? "a service"} ${p.version ?? ""} to ${p.environment ?? "?"}`.replace(/\s+/g, " ");
  return p.kind.startsWith("checkpoint.") ? `Checkpoint${step}: ${what} ${headline[p.kind]}` : `${what} ${headline[p.kind]}`;
}

/** Where a message's button leads: the rollout with its checkpoint, or the frozen service. */
export function linkOf(p: NotificationPayload, publicUrl: string): { url: string; label: string } {
  const base = publicUrl.replace(/\/+$/, "");
  if (p.rolloutId) {
    return { url: `${base}/rollouts/${p.rolloutId}`, label: p.kind === "checkpoint.awaiting_approval" ? "Review checkpoint" : "Open rollout" };
  }
  if (p.service) return { url: `${base}/services/${encodeURIComponent(p.service)}`, label: `Open ${p.service}` };
  return { url: `${base}/`, label: "Open Slipway" };
}

type Field = { label: string; value: string };

function fieldsOf(p: NotificationPayload): Field[] {
  const fields: Field[] = [];
  const add = (label: string, value: string | null | undefined) => {
    if (value) fields.push({ label, value });
  };
  if (p.kind.startsWith("freeze.")) {
    add("Scope", p.freeze?.scope);
    add("Reason", p.freeze?.reason);
    add(p.kind === "freeze.started" ? "Set by" : "Lifted by", p.actor);
    if (p.kind === "freeze.started") add("Until", p.freeze?.endsAt);
    return fields;
  }
  add("Service", p.service && p.team ? `${p.service} (${p.team})` : p.service);
  add("Version", p.previousVersion && p.version ? `${p.previousVersion} → ${p.version}` : p.version);
  add("Environment", p.environment);
  add("Requested by", p.requestedBy);
  if (p.checkpoint && p.kind.startsWith("checkpoint.")) add("Approvals", `${p.checkpoint.approvals} of ${p.checkpoint.approvalsRequired}`);
  if (p.kind === "checkpoint.approved" || p.kind === "checkpoint.rejected") add("Decided by", p.actor);
  add("Reason", p.reason);
  add("Comment", p.comment);
  add("Failure", p.failureReason);
  return fields;
}

function personName(p: NotifiedPerson): string {
  return p.displayName ?? p.name;
}

/** Slack mrkdwn escapes exactly these three characters. */
function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The Block Kit message: a header, the fields, the evidence, the approvers mentioned and a button to the checkpoint.
 * `mention` turns an approver into a Slack mention (`<@U…>`) when the bot could look them up, else their name.
 */
export function slackMessage(
  p: NotificationPayload,
  publicUrl: string,
  mention: (person: NotifiedPerson) => string = (x) => `@${personName(x)}`,
): SlackMessage {
  const title = summaryOf(p);
  const link = linkOf(p, publicUrl);
  const blocks: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: `${title}`.slice(0, 150), emoji: true } },
    { type: "section", fields: fieldsOf(p).map((f) => ({ type: "mrkdwn" as const, text: `*${esc(f.label)}*\n${esc(f.value)}` })) },
  ];
  if (p.evidence) {
    const commit = p.commitUrl ? ` <${p.commitUrl}|commit>` : "";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Evidence*\n${esc(p.evidence)}${commit}` } });
  }
  if (p.kind === "checkpoint.awaiting_approval" && p.approvers.length) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Can approve: ${p.approvers.map(mention).join(", ")}` }] });
  }
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        text: { type: "plain_text", text: link.label },
        url: link.url,
        action_id: "open",
        ...(p.kind === "checkpoint.awaiting_approval" ? { style: "primary" as const } : {}),
      },
    ],
  });
  return { text: `${emoji[p.kind]} ${title}`, blocks };
}

/** A Microsoft Teams message with an Adaptive Card; approvers are mentioned by their e-mail (their UPN). */
export function teamsMessage(p: NotificationPayload, publicUrl: string): Record<string, unknown> {
  const link = linkOf(p, publicUrl);
  const mentioned = p.kind === "checkpoint.awaiting_approval" ? p.approvers.filter((a) => a.email) : [];
  const body: Array<Record<string, unknown>> = [
    { type: "TextBlock", size: "Medium", weight: "Bolder", wrap: true, text: summaryOf(p) },
    { type: "FactSet", facts: fieldsOf(p).map((f) => ({ title: f.label, value: f.value })) },
  ];
  if (p.evidence) body.push({ type: "TextBlock", wrap: true, text: `Evidence: ${p.evidence}` });
  if (mentioned.length) body.push({ type: "TextBlock", wrap: true, text: `Can approve: ${mentioned.map((a) => `<at>${personName(a)}</at>`).join(", ")}` });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          actions: [{ type: "Action.OpenUrl", title: link.label, url: link.url }],
          msteams: {
            width: "Full",
            entities: mentioned.map((a) => ({ type: "mention", text: `<at>${personName(a)}</at>`, mentioned: { id: a.email, name: personName(a) } })),
          },
        },
      },
    ],
  };
}

/** The generic webhook's body: Slipway's own event, versioned, with a link for people. */
export function webhookBody(eventId: string, p: NotificationPayload, publicUrl: string): Record<string, unknown> {
  return { id: eventId, type: p.kind, version: 1, summary: summaryOf(p), url: linkOf(p, publicUrl).url, data: p };
}
