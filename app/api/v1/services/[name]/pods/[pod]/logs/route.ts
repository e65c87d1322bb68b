import { slipway } from "@/server/composition";
import { z } from "zod";
import { getService } from "@/server/catalogue";
import { getServiceRuntime } from "@/server/cluster";
import { authorizeRequest } from "@/server/identity";
import type { PodLogs } from "@/server/logs";
import { environmentPolicy } from "@/server/releases";
import { NotFoundError } from "@/server/shared/errors";
import { dnsLabelParam, pathParam } from "@/server/shared/input";
import { json, parseQuery, route } from "@/server/shared/route";
import { actingAs, containerName, podName } from "../../../logs/service-log-scope";

export const dynamic = "force-dynamic";

const query = z
  .object({
    environment: dnsLabelParam,
    container: containerName.optional(),
    /** `true`: the last terminated container (what a crash-looping container died of). */
    previous: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    tailLines: z.coerce.number().int().min(1).max(5000).optional(),
  })
  .strict();

/**
 * A pod's container output, read through the Kubernetes API (`pods/{pod}/log`) as the signed-in person when the
 * cluster impersonates. Only a pod of the service's own workloads (as the Runtime tab lists them) can be read.
 */
export const GET = route<{ name: string; pod: string }>(async (request, params) => {
  const { principal } = await authorizeRequest(request, { action: "catalogue.read" });
  const pod = pathParam(params.pod, podName, `There is no pod named "${params.pod}".`);
  const { environment, container, previous, tailLines } = parseQuery(request, query);
  environmentPolicy(environment);
  const service = await getService(params.name);
  const runtime = await getServiceRuntime(service);
  const clusters = runtime.environments.find((e) => e.name === environment)?.clusters ?? [];
  const found = clusters.flatMap((c) => c.workloads.flatMap((w) => w.pods.filter((p) => p.name === pod).map((p) => ({ cluster: c.cluster, pod: p }))))[0];
  if (!found) {
    const unreachable = clusters.filter((c) => c.error);
    if (unreachable.length > 0) {
      return json({
        lines: [],
        errors: unreachable.map((c) => ({ code: "unreachable" as const, message: c.error!.message, source: `cluster ${c.cluster}` })),
      } satisfies PodLogs);
    }
    throw new NotFoundError(`${service.name} has no pod named "${pod}" in ${environment}.`);
  }
  const containers = found.pod.images.map((i) => i.container);
  if (container && !containers.includes(container))
    throw new NotFoundError(`Pod ${pod} has no container named "${container}" (it has ${containers.join(", ")}).`);
  // A pod with several containers needs one named: the service's `app` container, else its first.
  const chosen = container ?? (containers.includes("app") ? "app" : containers[0]);
  const logs = await slipway().logs.podLogs({
    cluster: found.cluster,
    namespace: found.pod.namespace,
    pod,
    container: chosen,
    previous,
    tailLines,
    as: await actingAs(principal),
  });
  return json(logs);
});
