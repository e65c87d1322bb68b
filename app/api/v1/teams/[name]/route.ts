import { getTeam } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await getTeam(name));
});
