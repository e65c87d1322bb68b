import { z } from "zod";

/** What Slipway tells people about: checkpoints, rollouts and freezes. */
export const notificationKinds = [
  "checkpoint.awaiting_approval",
  "checkpoint.approved",
  "checkpoint.rejected",
  "checkpoint.expired",
  "rollout.started",
  "rollout.succeeded",
  "rollout.failed",
  "rollout.rolled_back",
  "freeze.started",
  "freeze.lifted",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

const person = z.object({ name: z.string(), displayName: z.string().nullable(), email: z.string().nullable() });
export type NotifiedPerson = z.infer<typeof person>;

/**
 * The snapshot an outbox row carries, taken in the transaction of the change: a message says what was true when the
 * event happened, however late it is delivered.
 */
export const notificationPayloadSchema = z.object({
  kind: z.enum(notificationKinds),
  occurredAt: z.string(),
  rolloutId: z.string().nullable().default(null),
  service: z.string().nullable().default(null),
  team: z.string().nullable().default(null),
  /** The owning squad's `slipway.io/chat-channel`. */
  teamChannel: z.string().nullable().default(null),
  environment: z.string().nullable().default(null),
  version: z.string().nullable().default(null),
  previousVersion: z.string().nullable().default(null),
  requestedBy: z.string().nullable().default(null),
  reason: z.string().nullable().default(null),
  /** Who approved, rejected, set or lifted. */
  actor: z.string().nullable().default(null),
  comment: z.string().nullable().default(null),
  failureReason: z.string().nullable().default(null),
  /** One line: what changed since the running version and how it went in earlier environments. */
  evidence: z.string().nullable().default(null),
  commitUrl: z.string().nullable().default(null),
  checkpoint: z.object({ kind: z.string(), step: z.number().nullable(), approvals: z.number(), approvalsRequired: z.number() }).nullable().default(null),
  /** Who may decide now: mentioned in chat. */
  approvers: z.array(person).default([]),
  freeze: z.object({ id: z.string(), reason: z.string(), endsAt: z.string(), scope: z.string() }).nullable().default(null),
});
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;
export type NotificationInput = z.input<typeof notificationPayloadSchema>;

export type DeliveryState = "pending" | "delivered" | "failed";

export type AttemptView = {
  number: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  ok: boolean;
  worker: string;
};

export type DeliveryView = {
  id: string;
  eventId: string;
  kind: NotificationKind;
  summary: string;
  rolloutId: string | null;
  target: string;
  targetType: string;
  channel: string | null;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  attemptLog: AttemptView[];
};

export const deliveryQuerySchema = z.object({
  state: z.enum(["pending", "delivered", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Slack Block Kit, as far as Slipway's messages use it (and the demo page renders it). */
type SlackText = { type: "mrkdwn" | "plain_text"; text: string; emoji?: boolean };
export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] }
  | { type: "divider" }
  | { type: "actions"; elements: Array<{ type: "button"; text: SlackText; url: string; action_id: string; style?: "primary" | "danger" }> };
export type SlackMessage = { channel?: string; text: string; blocks: SlackBlock[] };

export type SlackMessageView = {
  id: string;
  target: string;
  channel: string | null;
  state: DeliveryState;
  createdAt: string;
  kind: NotificationKind;
  /** People mentioned (the approvers of the owning squad), by their Slipway name. */
  mentions: string[];
  message: SlackMessage;
};
