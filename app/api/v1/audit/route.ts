import { auditQuerySchema, listAuditEvents } from "@/server/audit";
import { authorizeRequest } from "@/server/identity";
import { json, parseQuery, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await authorizeRequest(request, { action: "audit.read" });
  return json(await listAuditEvents(parseQuery(request, auditQuerySchema)));
});
