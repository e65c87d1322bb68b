import { releaseRuntime, slipway } from "@/server/composition";
import { z } from "zod";
import { operateWorkload, workloadActions } from "@/server/releases";
import { authenticate } from "@/server/identity";
import { NotFoundError } from "@/server/shared/errors";
import { dnsLabelParam, pathParam, safeMultilineText } from "@/server/shared/input";
import { json, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const body = z.object({ reason: safeMultilineText(2000).trim().optional() });

/** POST /api/v1/services/{name}/environments/{environment}/restart | pause | resume | abort | retry | promote-full */
export const POST = route<{ name: string; environment: string; action: string }>(async (request, params) => {
  const action = z.enum(workloadActions).safeParse(params.action);
  if (!action.success) throw new NotFoundError(`Unknown action "${params.action}": ${workloadActions.join(", ")}.`);
  const { principal, context } = await authenticate(request);
  const service = pathParam(params.name, dnsLabelParam, "There is no such service.");
  const environment = pathParam(params.environment, dnsLabelParam, "There is no such environment.");
  const { reason } = await parseJsonBody(request, body);
  return json(
    await operateWorkload(slipway().db, releaseRuntime().backend, principal, context, {
      service,
      environment,
      action: action.data,
      reason,
    }),
  );
});
