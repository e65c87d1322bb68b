import { slipway } from "@/server/composition";
import { z } from "zod";
import { liftFreeze } from "@/server/releases";
import { authenticate } from "@/server/identity";
import { NotFoundError } from "@/server/shared/errors";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>(async (request, { id }) => {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("There is no such freeze.");
  const { principal, context } = await authenticate(request);
  return json(await liftFreeze(slipway().db, principal, context, id));
});
