import { ServiceUnavailableError } from "@/server/shared/errors";
import { databaseIsHealthy } from "@/server/shared/health";
import { json, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** Readiness: the database answers within two seconds; otherwise 503 problem+json and the load balancer skips this replica. */
export const GET = route(async () => {
  if (!(await databaseIsHealthy())) throw new ServiceUnavailableError("The database does not answer.");
  return json({ status: "ok" });
});
