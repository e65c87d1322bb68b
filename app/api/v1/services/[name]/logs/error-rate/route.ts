import { slipway } from "@/server/composition";
import { getService } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import type { ErrorRate } from "@/server/logs";
import { environmentPolicy } from "@/server/releases";
import { json, parseQuery, route } from "@/server/shared/route";
import { logRangeQuery, rangeOf, rolloutImages, serviceLogScope } from "../service-log-scope";

export const dynamic = "force-dynamic";

const query = logRangeQuery.omit({ q: true, level: true }).strict();

/**
 * Error lines per minute over a range (the store counts them with a date_histogram), for the Metrics tab to draw
 * beside its panels. No log store, or one that fails, is a 200 with no points and the reason in `errors`: the
 * Metrics tab keeps working without it.
 */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { rollout, ...filters } = parseQuery(request, query);
  environmentPolicy(filters.environment);
  const service = await getService(name);
  const range = rangeOf(filters);
  const { scope, problem } = serviceLogScope(service, filters.environment);
  if (!scope) return json({ intervalMs: 60_000, points: [], errors: [problem] } satisfies ErrorRate);
  const images = await rolloutImages(service, filters.environment, rollout);
  return json(await slipway().logs.errorRate({ ...filters, ...range, images, service: scope, signal: request.signal }));
});
