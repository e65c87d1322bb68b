import { z } from "zod";
import { getService, serviceKinds } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const query = z.object({ kind: z.enum(serviceKinds).default("component") });

export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await getService(name, parseQuery(request, query).kind));
});
