import { kickReconciler, slipway } from "@/server/composition";
import { registerRelease, registerReleaseSchema, deployStatus } from "@/server/releases";
import { authenticate, authorizeRequest } from "@/server/identity";
import { dnsLabelParam, pathParam } from "@/server/shared/input";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** CI registers a build: 201 when new, 200 when the same build was registered before, 409 for another image. */
export const POST = route<{ name: string }>(async (request, params) => {
  const { principal, context } = await authenticate(request);
  const name = pathParam(params.name, dnsLabelParam, "There is no such service.");
  const input = await parseJsonBody(request, registerReleaseSchema);
  const result = await registerRelease(slipway().db, principal, context, name, input);
  for (const id of result.autoRollouts) kickReconciler(id);
  return json(result, { status: result.created ? 201 : 200 });
});

export const GET = route<{ name: string }>(async (request, params) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const name = pathParam(params.name, dnsLabelParam, "There is no such service.");
  return json({ items: (await deployStatus(slipway().db, name)).releases });
});
