import { z } from "zod";
import { quickSearch } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import { safeText } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const query = z.object({ q: safeText(200).default("") });

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await quickSearch(parseQuery(request, query).q));
});
