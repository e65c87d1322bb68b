import { slipway } from "@/server/composition";
import { getService } from "@/server/catalogue";
import { serviceWorkloadIn } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import { metricsQuerySchema } from "@/server/metrics";
import { deployMarkers, environmentPolicy } from "@/server/releases";
import { BadRequestError } from "@/server/shared/errors";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/**
 * A service's panels in one environment and range, with every rollout there as a marker. The browser names a service,
 * an environment and a range; the server builds every query.
 */
export const GET = route<{ name: string }>(async (request, { name }) => {
  await authorizeRequest(request, { action: "catalogue.read" });
  const query = parseQuery(request, metricsQuerySchema);
  environmentPolicy(query.environment);
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  if (from >= to) throw new BadRequestError("`from` must be before `to`.");
  if (to.getTime() - from.getTime() > 31 * 86_400_000) throw new BadRequestError("A range spans at most 31 days.");
  const service = await getService(name);
  const installed = slipway().metrics;
  const [workload, markers] = await Promise.all([
    serviceWorkloadIn({ name: service.name, annotations: service.annotations, team: service.team }, query.environment),
    deployMarkers(slipway().db, service.name, query.environment, from, to),
  ]);
  const source = { configured: Boolean(installed?.metrics.environments().includes(query.environment)), demo: installed?.demo ?? false };
  if (!installed || !workload) {
    const message = !installed
      ? `No metrics source is configured for ${query.environment}: add it under metrics.sources in slipway.config.yaml (any Prometheus HTTP API URL).`
      : `Slipway does not know where ${service.name} runs in ${query.environment}, so it has no metrics to show.`;
    return json({
      service: service.name,
      environment: query.environment,
      panels: [],
      step: 0,
      from: from.getTime(),
      to: to.getTime(),
      errors: [{ code: "not_configured", message }],
      markers,
      source,
    });
  }
  const panels = await installed.metrics.servicePanels({
    service: { namespace: workload.namespace, workload: workload.name, kind: workload.kind, annotations: service.annotations },
    environment: query.environment,
    from: from.getTime(),
    to: to.getTime(),
    widthPx: query.width,
    signal: request.signal,
  });
  return json({ service: service.name, environment: query.environment, ...panels, markers, source });
});
