import { kickReconciler, releaseRuntime, slipway } from "@/server/composition";
import { listRollouts, requestRollout, requestRolloutSchema, rolloutQuerySchema } from "@/server/releases";
import { authenticate, authorizeRequest } from "@/server/identity";
import { json, parseJsonBody, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await listRollouts(slipway().db, parseQuery(request, rolloutQuerySchema)));
});

/** Request a rollout: in production this opens a checkpoint that another person must approve. */
export const POST = route(async (request) => {
  const { principal, context } = await authenticate(request);
  const input = await parseJsonBody(request, requestRolloutSchema);
  const rollout = await requestRollout(slipway().db, releaseRuntime().backend, principal, context, input);
  if (rollout.state === "approved") kickReconciler(rollout.id);
  return json(rollout, { status: 201 });
});
