import "server-only";
import { z } from "zod";
import { bigintText, safeDateTime, safeText } from "../shared/input";

export type Actor =
  { type: "person"; id: string; name: string } | { type: "token"; id: string; name: string } | { type: "system"; id?: undefined; name: string };

/** Who is doing something, from where, as part of which request: carried into every audit event. */
export type RequestContext = {
  actor: Actor;
  requestId: string;
  sourceIp: string | undefined;
};

export type AuditInput = {
  action: string;
  targetType: string;
  targetId?: string | null;
  /** What changed: `before`/`after` summaries, reasons, comments. */
  details?: Record<string, unknown>;
};

export * from "./contract";

export const auditQuerySchema = z.object({
  actor: safeText(200).optional(),
  action: safeText(200).optional(),
  targetType: safeText(100).optional(),
  target: safeText(300).optional(),
  /** details.environment, e.g. production. */
  environment: safeText(100).optional(),
  /** A rollout event's after-state: succeeded, failed, rolled_back, approved, cancelled... */
  outcome: safeText(100).optional(),
  since: safeDateTime().optional(),
  until: safeDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: bigintText("cursor is the seq of the last event of the previous page").optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
