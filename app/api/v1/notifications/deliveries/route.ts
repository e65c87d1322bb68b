import { slipway } from "@/server/composition";
import { authenticate } from "@/server/identity";
import { deliveryQuerySchema, listDeliveries } from "@/server/notifications";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** The delivery log (admins): each event sent to each target, with its attempts and next retry. */
export const GET = route(async (request) => {
  const query = parseQuery(request, deliveryQuerySchema);
  const { principal } = await authenticate(request);
  return json(await listDeliveries(slipway().db, principal, query));
});
