import { slipway } from "@/server/composition";
import { z } from "zod";
import { getService } from "@/server/catalogue";
import { authorizeRequest, stillAuthorized } from "@/server/identity";
import { environmentPolicy } from "@/server/releases";
import { parseQuery, route } from "@/server/shared/route";
import { eventStream } from "@/server/shared/sse";

export const dynamic = "force-dynamic";

const query = z.object({
  environment: z
    .string()
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
    .max(63),
});

/** Deploy markers of a service in one environment, as server-sent `markers` events: now, then on every rollout change. */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { environment } = parseQuery(request, query);
  environmentPolicy(environment);
  const service = await getService(name);
  const feed = slipway().markers;
  const stillAllowed = stillAuthorized(request, { action: "catalogue.read" });
  return eventStream(
    request,
    (send, signal) => {
      const unsubscribe = feed.subscribe(service.name, environment, (markers) => send("markers", markers));
      signal.addEventListener("abort", unsubscribe, { once: true });
    },
    { stillAllowed },
  );
});
