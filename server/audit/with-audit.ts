import "server-only";
import type { Db, DbTx } from "../shared/db";
import { appendAuditEvent } from "./audit-repository";
import type { AuditInput, RequestContext } from "./types";

export type Audit = ((event: AuditInput) => Promise<string>) & {
  /** Says the work found nothing to change (another replica got there first): no event is then required. */
  nothingChanged(): void;
};

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
      let unchanged = false;
      const audit: Audit = Object.assign(
        (event: AuditInput) => {
          audited++;
          return appendAuditEvent(tx, context, event);
        },
        {
          nothingChanged: () => {
            unchanged = true;
          },
        },
      );
      const result = await work(tx, audit);
      if (audited === 0 && !unchanged) throw new Error("a mutation must record at least one audit event, or say that nothing changed");
      return result;
    },
    { timeout: options.timeoutMs ?? 60_000, maxWait: 15_000 },
  );
}
