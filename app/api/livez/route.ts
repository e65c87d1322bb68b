import { json } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/**
 * Liveness: the process serves requests. Nothing outside it is checked, so a database outage makes replicas unready
 * (GET /api/readyz) instead of restarting them all.
 */
export function GET() {
  return json({ status: "ok" });
}
