import "server-only";
import { createHmac } from "node:crypto";
import { z } from "zod";
import type { NotificationPayload, NotifiedPerson } from "./contract";
import { slackMessage, teamsMessage, webhookBody } from "./messages";
import type { Target } from "./settings";

export type Outgoing = { deliveryId: string; idempotencyKey: string; eventId: string; payload: NotificationPayload; channel: string | null };

export type SendResult = {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** Nothing will change by asking again (a revoked token, an unknown channel, a 4xx): give up at once. */
  permanent: boolean;
  /** The receiver asked for a pause (429 Retry-After). */
  retryAfterMs: number | null;
  /** The body sent, for the delivery log. */
  request: unknown;
};

export type SendOptions = { publicUrl: string; timeoutMs: number; signal?: AbortSignal | undefined; slackUsers: Map<string, string> };

/** `X-Slipway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as Stripe signs its webhooks. */
export function signatureHeader(secret: string, body: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

// Slack answers 200 with ok:false; these errors stay whatever we retry.
const permanentSlackErrors = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "no_permission",
  "missing_scope",
  "invalid_blocks",
  "msg_too_long",
  "no_service",
  "invalid_token",
]);
const slackAnswer = z.object({ ok: z.boolean(), error: z.string().optional() }).loose();
const slackUser = z.object({ ok: z.boolean(), user: z.object({ id: z.string() }).optional() }).loose();

export async function sendTo(target: Target, out: Outgoing, options: SendOptions): Promise<SendResult> {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Slipway-Notifications/1",
    "idempotency-key": out.idempotencyKey,
    "x-slipway-delivery": out.deliveryId,
    "x-slipway-event": out.payload.kind,
  };
  let url: string;
  let request: unknown;
  switch (target.type) {
    case "slack-webhook":
      url = target.url;
      request = slackMessage(out.payload, options.publicUrl);
      break;
    case "slack-bot": {
      url = `${target.apiUrl.replace(/\/+$/, "")}/chat.postMessage`;
      headers.authorization = `Bearer ${target.token}`;
      const mention = target.lookupUsers ? await slackMentions(target, out.payload.approvers, options) : undefined;
      request = { ...slackMessage(out.payload, options.publicUrl, mention), channel: out.channel ?? undefined };
      break;
    }
    case "teams-webhook":
      url = target.url;
      request = teamsMessage(out.payload, options.publicUrl);
      break;
    case "webhook":
      url = target.url;
      request = webhookBody(out.eventId, out.payload, options.publicUrl);
      break;
  }
  const body = JSON.stringify(request);
  if (target.type === "webhook") headers["x-slipway-signature"] = signatureHeader(target.secret, body);
  const fail = (error: string, statusCode: number | null, permanent: boolean, retryAfterMs: number | null = null): SendResult => ({
    ok: false,
    statusCode,
    error,
    permanent,
    retryAfterMs,
    request,
  });
  let response: Response;
  let text: string;
  try {
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
    response = await fetch(url, { method: "POST", headers, body, signal, redirect: "error" });
    text = (await response.text()).slice(0, 2000);
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const timedOut = e.name === "TimeoutError" || (e.name === "AbortError" && !options.signal?.aborted);
    return fail(timedOut ? `no answer within ${options.timeoutMs} ms` : `${e.cause?.code ?? e.name}: ${e.message}`.slice(0, 500), null, false);
  }
  const status = response.status;
  if (status === 429 || status === 503) {
    const seconds = Number(response.headers.get("retry-after"));
    return fail(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`, status, false, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null);
  }
  if (status < 200 || status >= 300) {
    // A 4xx other than a timeout or conflict will answer the same next time (bad URL, revoked webhook).
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 425;
    return fail(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`, status, permanent);
  }
  if (target.type === "slack-bot") {
    const answer = slackAnswer.safeParse(safeJson(text));
    if (!answer.success) return fail("Slack answered something other than its Web API JSON", status, false);
    if (!answer.data.ok) return fail(`Slack: ${answer.data.error ?? "not ok"}`, status, permanentSlackErrors.has(answer.data.error ?? ""));
  }
  return { ok: true, statusCode: status, error: null, permanent: false, retryAfterMs: null, request };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Approvers as Slack mentions: each e-mail looked up once per worker; anyone not found is named instead. */
async function slackMentions(
  target: Extract<Target, { type: "slack-bot" }>,
  people: NotifiedPerson[],
  options: SendOptions,
): Promise<(person: NotifiedPerson) => string> {
  for (const person of people) {
    if (!person.email || options.slackUsers.has(person.email)) continue;
    try {
      const url = `${target.apiUrl.replace(/\/+$/, "")}/users.lookupByEmail?email=${encodeURIComponent(person.email)}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${target.token}` }, signal: AbortSignal.timeout(options.timeoutMs) });
      const answer = slackUser.safeParse(await response.json());
      if (answer.success && answer.data.ok && answer.data.user && options.slackUsers.size < 5000) options.slackUsers.set(person.email, answer.data.user.id);
    } catch {
      // A lookup that fails only costs the mention: the message still names them.
    }
  }
  return (person) => {
    const id = person.email ? options.slackUsers.get(person.email) : undefined;
    return id ? `<@${id}>` : `@${person.displayName ?? person.name}`;
  };
}
