import { kickReconciler, slipway } from "@/server/composition";
import { z } from "zod";
import { cancelRollout, decideCheckpoint, decisionSchema, rollbackRollout, rollbackSchema } from "@/server/releases";
import { authenticate } from "@/server/identity";
import { NotFoundError } from "@/server/shared/errors";
import { safeMultilineText } from "@/server/shared/input";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const cancelSchema = z.object({ reason: safeMultilineText(2000).trim().optional() });

/** POST /api/v1/rollouts/{id}/approve | reject | cancel | rollback */
export const POST = route<{ id: string; action: string }>(async (request, { id, action }) => {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("There is no such rollout.");
  const { principal, context } = await authenticate(request);
  const db = slipway().db;
  switch (action) {
    case "approve":
    case "reject": {
      const { comment } = await parseJsonBody(request, decisionSchema);
      const rollout = await decideCheckpoint(db, principal, context, id, action, comment);
      kickReconciler(rollout.state === "approved" ? rollout.id : undefined);
      return json(rollout);
    }
    case "cancel": {
      const { reason } = await parseJsonBody(request, cancelSchema);
      return json(await cancelRollout(db, principal, context, id, reason));
    }
    case "rollback": {
      const input = await parseJsonBody(request, rollbackSchema);
      const rollback = await rollbackRollout(db, principal, context, id, input);
      kickReconciler(rollback.id);
      return json(rollback, { status: 201 });
    }
    default:
      throw new NotFoundError(`Unknown action "${action}": approve, reject, cancel or rollback.`);
  }
});
