import { z } from "zod";

/** What the browser may import about the audit trail: an event, a page of them, and the chain's verification. */

export const auditEventSchema = z.object({
  seq: z.string(),
  id: z.string(),
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditVerificationSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), events: z.number(), lastHash: z.string().nullable() }),
  z.object({ ok: z.literal(false), events: z.number(), brokenAt: z.object({ seq: z.string(), id: z.string() }), reason: z.string() }),
]);
export type AuditVerification = z.infer<typeof auditVerificationSchema>;
