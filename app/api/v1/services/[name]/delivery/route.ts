import { slipway } from "@/server/composition";
import { deliveryQuerySchema, getDeliveryFigures } from "@/server/delivery";
import { authorizeRequest } from "@/server/identity";
import { dnsLabelParam, pathParam } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** DORA's four keys of a service over the last 30 or 90 days (`?days=`), with a weekly trend. */
export const GET = route<{ name: string }>(async (request, params) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const name = pathParam(params.name, dnsLabelParam, 'There is no service named "' + params.name + '".');
  const { days } = parseQuery(request, deliveryQuerySchema);
  return json(await getDeliveryFigures({ kind: "service", name }, days, { db: slipway().db }));
});
