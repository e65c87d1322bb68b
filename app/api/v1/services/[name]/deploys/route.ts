import { slipway } from "@/server/composition";
import { deployStatus, listRollouts, rolloutQuerySchema } from "@/server/releases";
import { authorizeRequest } from "@/server/identity";
import { dnsLabelParam, pathParam } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** What runs where, pending checkpoints, and the deploy history of one service. */
export const GET = route<{ name: string }>(async (request, params) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const name = pathParam(params.name, dnsLabelParam, "There is no such service.");
  const db = slipway().db;
  const query = parseQuery(request, rolloutQuerySchema.omit({ service: true }));
  const [status, history] = await Promise.all([deployStatus(db, name), listRollouts(db, { ...query, service: name })]);
  return json({ ...status, history: history.items, nextCursor: history.nextCursor });
});
