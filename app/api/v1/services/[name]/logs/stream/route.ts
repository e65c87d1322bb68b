import { slipway } from "@/server/composition";
import { z } from "zod";
import { getService } from "@/server/catalogue";
import { authorizeRequest, stillAuthorized } from "@/server/identity";
import { environmentPolicy } from "@/server/releases";
import { parseQuery, route } from "@/server/shared/route";
import { eventStream } from "@/server/shared/sse";
import { logFiltersQuery, rolloutImages, serviceLogScope } from "../service-log-scope";

export const dynamic = "force-dynamic";

const query = logFiltersQuery
  .extend({
    /** Resume after a pause: the `position` of the last `lines` event (epoch ms). */
    since: z
      .string()
      .regex(/^\d{1,15}$/)
      .transform(Number)
      .optional(),
  })
  .strict();

/**
 * Live tail as server-sent events: `lines` ({lines (oldest first), position, truncated}) as new lines become
 * searchable, `problem` when the log store fails (the stream stays open and the poll retries). Every viewer of the
 * same query shares one server-side poll. The session is re-checked while the stream is open.
 */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { since, rollout, ...filters } = parseQuery(request, query);
  environmentPolicy(filters.environment);
  const service = await getService(name);
  const { scope, problem } = serviceLogScope(service, filters.environment);
  const images = await rolloutImages(service, filters.environment, rollout);
  const stillAllowed = stillAuthorized(request, { action: "catalogue.read" });
  return eventStream(
    request,
    (send, signal) => {
      if (!scope) {
        send("problem", problem);
        return;
      }
      const subscription = slipway().logs.tail(
        { ...filters, images, service: scope, since },
        { onLines: (batch) => send("lines", batch), onError: (p) => send("problem", p) },
      );
      signal.addEventListener("abort", () => subscription.unsubscribe(), { once: true });
    },
    { stillAllowed },
  );
});
