import { getService } from "@/server/catalogue";
import { getServiceRuntime } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** What runs for a service in every environment and cluster; a failing cluster is listed in `errors`. */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  return json(await getServiceRuntime(await getService(name)));
});
