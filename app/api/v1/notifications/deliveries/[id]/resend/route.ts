import { slipway } from "@/server/composition";
import { authenticate } from "@/server/identity";
import { resendDelivery } from "@/server/notifications";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** An admin sends a delivery again (audited); the worker picks it up within a second. */
export const POST = route<{ id: string }>(async (request, { id }) => {
  const { principal, context } = await authenticate(request);
  return json(await resendDelivery(slipway().db, principal, context, id));
});
