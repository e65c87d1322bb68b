import { slipway } from "@/server/composition";
import { z } from "zod";
import { getRollout, watchRollout } from "@/server/releases";
import { authorizeRequest, stillAuthorized } from "@/server/identity";
import { NotFoundError } from "@/server/shared/errors";
import { route } from "@/server/shared/route";
import { eventStream } from "@/server/shared/sse";

export const dynamic = "force-dynamic";

/** Live rollout progress as server-sent `rollout` events: the state machine and the workloads, on every change. */
export const GET = route<{ id: string }>(async (request, { id }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  if (!z.uuid().safeParse(id).success) throw new NotFoundError("There is no such rollout.");
  const db = slipway().db;
  await getRollout(db, id);
  // Ends when the caller signs out or loses access, not only when the browser goes away.
  const stillAllowed = stillAuthorized(request, { action: "catalogue.read" });
  return eventStream(request, (send, signal) => watchRollout(db, slipway().releases?.backend, id, (live) => send("rollout", live), signal), { stillAllowed });
});
