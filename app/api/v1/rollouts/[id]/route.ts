import { slipway } from "@/server/composition";
import { getRollout } from "@/server/releases";
import { authorizeRequest } from "@/server/identity";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, { id }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await getRollout(slipway().db, id));
});
