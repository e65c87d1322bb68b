import "server-only";
import type { Db, DbTx } from "../shared/db";
import { appendAuditEvent } from "./audit-repository";
import type { AuditInput, RequestContext } from "./types";

export type Audit = (event: AuditInput) => Promise<string>;

/**
 * The one path for mutations: the change and its audit events commit together or not at all.
 * `work` receives the transaction and an `audit` function bound to the same transaction and request context.
 */
export async function withAudit<T>(
  db: Db,
  context: RequestContext,
  work: (tx: DbTx, audit: Audit) => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      let audited = 0;
      const audit: Audit = (event) => {
        audited++;
        return appendAuditEvent(tx, context, event);
      };
      const result = await work(tx, audit);
      if (audited === 0) throw new Error("a mutation must record at least one audit event");
      return result;
    },
    { timeout: options.timeoutMs ?? 60_000, maxWait: 15_000 },
  );
}
