import { slipway } from "@/server/composition";
import { getService } from "@/server/catalogue";
import { serviceWorkloadIn } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import { alertsQuerySchema } from "@/server/metrics";
import { environmentPolicy } from "@/server/releases";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** Firing and pending alerts of a service in one environment, from its metrics source's alerting rules. */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const { environment } = parseQuery(request, alertsQuerySchema);
  environmentPolicy(environment);
  const service = await getService(name);
  const installed = slipway().metrics;
  const workload = await serviceWorkloadIn({ name: service.name, annotations: service.annotations, team: service.team }, environment);
  if (!installed || !workload) return json({ alerts: [], errors: [] });
  return json(
    await installed.metrics.serviceAlerts({
      service: { namespace: workload.namespace, workload: workload.name, kind: workload.kind, annotations: service.annotations },
      environment,
      signal: request.signal,
    }),
  );
});
