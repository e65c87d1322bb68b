import { slipway } from "@/server/composition";
import { z } from "zod";
import { authenticate, revokeApiToken } from "@/server/identity";
import { BadRequestError } from "@/server/shared/errors";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, { id }) => {
  const { principal, context } = await authenticate(request);
  if (!z.uuid().safeParse(id).success) throw new BadRequestError("A token id is a UUID.");
  return json(await revokeApiToken(slipway().db, principal, context, id));
});
