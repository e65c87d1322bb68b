import { slipway } from "@/server/composition";
import { createFreeze, freezeSchema, listFreezes } from "@/server/releases";
import { authenticate, authorizeRequest } from "@/server/identity";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json({ items: await listFreezes(slipway().db) });
});

export const POST = route(async (request) => {
  const { principal, context } = await authenticate(request);
  const input = await parseJsonBody(request, freezeSchema);
  return json(await createFreeze(slipway().db, principal, context, input), { status: 201 });
});
