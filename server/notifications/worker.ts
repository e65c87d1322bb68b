import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Db } from "../shared/db";
import type { Prisma } from "../shared/generated/prisma/client";
import { logger } from "../shared/logger";
import { retryDelayMs } from "./backoff";
import { notificationPayloadSchema } from "./contract";
import { sendTo, type SendResult } from "./send";
import { routesFor, type NotificationSettings } from "./settings";

export type NotificationWorkerOptions = {
  db: Db;
  settings: NotificationSettings;
  /** Where people open Slipway (SLIPWAY_PUBLIC_URL): the base of every link in a message. */
  publicUrl: string;
  /** How often to look for due work when nothing woke the worker. */
  intervalMs?: number;
  /** Deliveries in flight at once per worker: a hanging receiver holds one slot, not the worker. */
  concurrency?: number;
  /** How long a claim keeps other replicas off a delivery; longer than one attempt may take. */
  leaseMs?: number;
  /** Names the replica in the attempt log. */
  workerId?: string;
};

export type NotificationWorker = {
  /** Routes new events and sends what is due now, waiting for those sends (tests, a one-shot job). */
  runOnce(): Promise<void>;
  kick(): void;
  stop(): Promise<void>;
};

type Claimed = { id: string; event_id: string; target: string; channel: string | null; attempts: number; resends: number };

/**
 * The outbox's delivery worker. Safe with any number of replicas on one database: events are fanned out under
 * `FOR UPDATE SKIP LOCKED` into deliveries unique per (event, target); a delivery is claimed with a lease (and a token
 * that guards its outcome), sent outside any transaction, and its attempt recorded. A failure is retried with full-jitter
 * exponential backoff up to a cap; the receiver gets the same Idempotency-Key on every attempt.
 */
export function startNotificationWorker(options: NotificationWorkerOptions): NotificationWorker {
  const { db, settings, publicUrl } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const leaseMs = Math.round(options.leaseMs ?? settings.timeoutMs * 2 + 30_000);
  const worker = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 4)}`;
  const log = logger().child({ component: "notifications", worker });
  const slackUsers = new Map<string, string>();
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;

  async function routeEvents(): Promise<void> {
    await db.$transaction(async (tx) => {
      const events = await tx.$queryRaw<Array<{ id: string; payload: unknown }>>`
        SELECT id::text AS id, payload FROM notification_event WHERE routed_at IS NULL ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED`;
      if (!events.length) return;
      const deliveries: Prisma.NotificationDeliveryCreateManyInput[] = [];
      for (const event of events) {
        const payload = notificationPayloadSchema.safeParse(event.payload);
        if (!payload.success) {
          log.error({ eventId: event.id, issues: payload.error.issues }, "an outbox event does not parse; it is not sent");
          continue;
        }
        for (const route of routesFor(payload.data, settings)) {
          deliveries.push({ eventId: event.id, target: route.key, targetType: route.target.type, channel: route.channel });
        }
      }
      if (deliveries.length) await tx.notificationDelivery.createMany({ data: deliveries, skipDuplicates: true });
      await tx.notificationEvent.updateMany({ where: { id: { in: events.map((e) => e.id) } }, data: { routedAt: new Date() } });
    });
  }

  async function claim(limit: number): Promise<{ token: string; rows: Claimed[] }> {
    const token = randomUUID();
    const rows = await db.$queryRaw<Claimed[]>`
      UPDATE notification_delivery SET lease_until = now() + (${leaseMs}::int * interval '1 millisecond'), lease_token = ${token}
      WHERE id IN (
        SELECT id FROM notification_delivery
        WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, event_id::text AS event_id, target, channel, attempts, resends`;
    return { token, rows };
  }

  async function deliver(row: Claimed, token: string): Promise<void> {
    const targetName = row.channel ? row.target.slice(0, row.target.length - row.channel.length - 1) : row.target;
    const target = settings.targets.get(targetName);
    const event = await db.notificationEvent.findUnique({ where: { id: row.event_id }, select: { payload: true } });
    const payload = notificationPayloadSchema.safeParse(event?.payload);
    const startedAt = new Date();
    const t0 = performance.now();
    let result: SendResult;
    if (!target || !payload.success) {
      const error = target ? "the event does not parse" : `no target named "${targetName}" is configured any more`;
      result = { ok: false, statusCode: null, error, permanent: true, retryAfterMs: null, request: null };
    } else {
      try {
        result = await sendTo(
          target,
          {
            deliveryId: row.id,
            idempotencyKey: row.resends ? `${row.id}.${row.resends}` : row.id,
            eventId: row.event_id,
            payload: payload.data,
            channel: row.channel,
          },
          { publicUrl, timeoutMs: settings.timeoutMs, signal: stopping.signal, slackUsers },
        );
      } catch (error) {
        result = { ok: false, statusCode: null, error: (error as Error).message.slice(0, 500), permanent: false, retryAfterMs: null, request: null };
      }
    }
    const durationMs = Math.round(performance.now() - t0);
    const attempt = row.attempts + 1;
    const giveUp = !result.ok && (result.permanent || attempt >= settings.retry.maxAttempts);
    const delay = result.retryAfterMs ?? retryDelayMs(attempt, settings.retry);
    await db.$transaction(async (tx) => {
      // Only the holder of the claim records the outcome: a resend, or a replica that took over an expired lease, wins.
      const updated = await tx.notificationDelivery.updateMany({
        where: { id: row.id, leaseToken: token, state: "pending" },
        data: {
          state: result.ok ? "delivered" : giveUp ? "failed" : "pending",
          attempts: { increment: 1 },
          nextAttemptAt: result.ok || giveUp ? null : new Date(Date.now() + delay),
          leaseUntil: null,
          leaseToken: null,
          lastStatus: result.statusCode,
          lastError: result.error,
          ...(result.ok ? { deliveredAt: new Date() } : {}),
          ...(result.request ? { request: result.request as Prisma.InputJsonValue } : {}),
        },
      });
      if (updated.count !== 1) {
        log.warn({ deliveryId: row.id }, "a delivery's claim was taken over while sending; its outcome is not recorded");
        return;
      }
      // Numbered across resends (which restart the retry budget in `attempts`).
      const number = (await tx.notificationAttempt.count({ where: { deliveryId: row.id } })) + 1;
      await tx.notificationAttempt.create({
        data: { deliveryId: row.id, number, startedAt, durationMs, statusCode: result.statusCode, error: result.error, ok: result.ok, worker },
      });
    });
    if (!result.ok) log.warn({ deliveryId: row.id, target: row.target, attempt, error: result.error, giveUp }, "notification delivery failed");
  }

  /** Routes, then claims as many due deliveries as there are free slots; returns the sends it started. */
  async function tick(): Promise<Array<Promise<void>>> {
    await routeEvents();
    const free = concurrency - inFlight.size;
    if (free <= 0 || stopped) return [];
    const { token, rows } = await claim(free);
    return rows.map((row) => {
      const sending = deliver(row, token)
        .catch((error: unknown) => log.error({ err: error, deliveryId: row.id }, "recording a notification attempt failed"))
        .finally(() => {
          inFlight.delete(sending);
          if (!stopped) schedule(0);
        });
      inFlight.add(sending);
      return sending;
    });
  }

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (ticking) return schedule(intervalMs);
      ticking = tick()
        .then(() => undefined)
        .catch((error: unknown) => log.error({ err: error }, "notification worker pass failed"))
        .finally(() => {
          ticking = undefined;
          schedule(intervalMs);
        });
    }, ms);
    timer.unref?.();
  }

  schedule(0);
  return {
    async runOnce() {
      while (ticking) await ticking;
      const pass = tick();
      ticking = pass.then(() => undefined).finally(() => (ticking = undefined));
      await pass;
      // Whatever is in flight, this pass's sends and the background's, has its outcome recorded on return.
      while (inFlight.size) await Promise.all([...inFlight]);
    },
    kick: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopping.abort();
      await ticking;
      await Promise.all([...inFlight]);
    },
  };
}
