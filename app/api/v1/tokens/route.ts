import { slipway } from "@/server/composition";
import { authenticate, createApiToken, createTokenSchema, listApiTokens } from "@/server/identity";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const { principal } = await authenticate(request);
  return json({ items: await listApiTokens(slipway().db, principal) });
});

/** The token's secret is in this response and nowhere else, ever. */
export const POST = route(async (request) => {
  const { principal, context } = await authenticate(request);
  const input = await parseJsonBody(request, createTokenSchema);
  return json(await createApiToken(slipway().db, principal, context, input), { status: 201 });
});
