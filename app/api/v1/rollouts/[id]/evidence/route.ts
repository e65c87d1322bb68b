import { slipway } from "@/server/composition";
import { z } from "zod";
import { checkpointEvidence } from "@/server/releases";
import { authorizeRequest } from "@/server/identity";
import { pathParam } from "@/server/shared/input";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async (request, params) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const id = pathParam(params.id, z.uuid(), "There is no such rollout.");
  return json(await checkpointEvidence(slipway().db, id, slipway().metrics?.metrics));
});
