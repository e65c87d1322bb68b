import { getService } from "@/server/catalogue";
import { getServiceRuntime, runtimeEventStream } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import { route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** Server-sent `runtime` events: the full state now, then again within a second of every change. */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const service = await getService(name);
  const initial = await getServiceRuntime(service);
  return runtimeEventStream(service, { signal: request.signal, initial });
});
