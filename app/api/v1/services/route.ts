import { listServices, serviceQuerySchema } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await listServices(parseQuery(request, serviceQuerySchema)));
});
