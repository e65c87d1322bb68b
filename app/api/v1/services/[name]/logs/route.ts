import { slipway } from "@/server/composition";
import { getService } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import type { LogPage } from "@/server/logs";
import { environmentPolicy } from "@/server/releases";
import { BadRequestError } from "@/server/shared/errors";
import { json, parseQuery, route } from "@/server/shared/route";
import { logPageQuery, rangeOf, rolloutImages, serviceLogScope } from "./service-log-scope";

export const dynamic = "force-dynamic";

/**
 * One page of a service's logs in one environment, newest first. `cursor` (from the previous page) pages back through
 * the same point in time. An unreachable or unconfigured log store is a 200 with the reason in `errors`.
 */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { rollout, ...query } = parseQuery(request, logPageQuery);
  // A cursor belongs to one exact search: its range cannot default to "the hour before now", which moves.
  if (query.cursor && (query.from === undefined || query.to === undefined)) {
    throw new BadRequestError("A cursor continues one search: send the same from and to as the page it came from.");
  }
  environmentPolicy(query.environment);
  const service = await getService(name);
  const { scope, problem } = serviceLogScope(service, query.environment);
  if (!scope) return json({ lines: [], nextCursor: null, errors: [problem] } satisfies LogPage);
  const images = await rolloutImages(service, query.environment, rollout);
  const page = await slipway().logs.serviceLogs({ ...query, ...rangeOf(query), images, service: scope, signal: request.signal });
  return json(page);
});
