import { z } from "zod";
import { loadRunningVersions, maxVersionNames } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import { safeText } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  service: z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(safeText(63)).max(maxVersionNames)),
});

/** The running version per environment of the listed services (`?service=a,b`), as the catalogue list shows it. */
export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { service } = parseQuery(request, querySchema);
  return json(await loadRunningVersions(service));
});
