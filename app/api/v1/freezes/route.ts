import { createFreeze, freezeSchema, listFreezes, releasesDb } from "@/server/releases";
import { authenticate, authorizeRequest } from "@/server/identity";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json({ items: await listFreezes(await releasesDb()) });
});

export const POST = route(async (request) => {
  const { principal, context } = await authenticate(request);
  const input = await parseJsonBody(request, freezeSchema);
  return json(await createFreeze(await releasesDb(), principal, context, input), { status: 201 });
});
