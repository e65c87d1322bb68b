import { slipway } from "@/server/composition";
import { z } from "zod";
import { getService } from "@/server/catalogue";
import { authorizeRequest } from "@/server/identity";
import type { LineContext } from "@/server/logs";
import { environmentPolicy } from "@/server/releases";
import { dnsLabelParam, safeText } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";
import { serviceLogScope } from "../service-log-scope";

export const dynamic = "force-dynamic";

const query = z
  .object({
    environment: dnsLabelParam,
    /** A line's `id` as a log page returned it. */
    id: safeText(1024).min(1),
    /** Lines on each side of the line. */
    size: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

/** The lines around one line, from the same pod and container, oldest first (Kibana's surrounding documents). */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { environment, id, size } = parseQuery(request, query);
  environmentPolicy(environment);
  const service = await getService(name);
  const { scope, problem } = serviceLogScope(service, environment);
  if (!scope) return json({ lines: [], anchorId: id, errors: [problem] } satisfies LineContext);
  return json(await slipway().logs.lineContext({ service: scope, environment, id, size, signal: request.signal }));
});
