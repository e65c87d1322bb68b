import { NextResponse } from "next/server";
import { databaseIsHealthy } from "@/server/shared/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await databaseIsHealthy();
  return NextResponse.json(ok ? { status: "ok" } : { status: "unavailable", detail: "The database does not answer." }, {
    status: ok ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
