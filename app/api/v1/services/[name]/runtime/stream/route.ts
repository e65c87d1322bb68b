import { getService } from "@/server/catalogue";
import { getServiceRuntime, runtimeEventStream } from "@/server/cluster";
import { authorizeRequest, stillAuthorized } from "@/server/identity";
import { accessSignal } from "@/server/shared/sse";
import { route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** Server-sent `runtime` events: the full state now, then again within a second of every change. */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const service = await getService(name);
  const initial = await getServiceRuntime(service);
  // Ends when the caller signs out or loses access, not only when the browser goes away.
  const signal = accessSignal(request, stillAuthorized(request, { action: "catalogue.read" }));
  return runtimeEventStream(service, { signal, initial });
});
