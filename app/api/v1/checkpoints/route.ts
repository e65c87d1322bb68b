import { slipway } from "@/server/composition";
import { z } from "zod";
import { checkpointInbox } from "@/server/releases";
import { authorizeRequest } from "@/server/identity";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const query = z.object({
  state: z.literal("awaiting_approval").default("awaiting_approval"),
  mine: z.enum(["true", "false"]).default("false"),
});

/** Checkpoints waiting for a decision, oldest first; `mine=true` keeps those the caller may decide. */
export const GET = route(async (request) => {
  const { principal } = await authorizeRequest(request, { action: "catalogue.read" });
  const { mine } = parseQuery(request, query);
  const items = await checkpointInbox(slipway().db, principal, { onlyMine: mine === "true" });
  return json({ items, count: items.length });
});
