import "server-only";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../audit";

/** The context for work Slipway does on its own (seeding, reconciling, scheduled jobs), named in the audit trail. */
export function systemContext(name: string): RequestContext {
  return { actor: { type: "system", name }, requestId: randomUUID(), sourceIp: undefined };
}
