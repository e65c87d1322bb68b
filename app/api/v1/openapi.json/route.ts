import { NextResponse } from "next/server";
import { openApiDocument } from "@/server/api-docs";

export const dynamic = "force-dynamic";

export function GET() {
  return NextResponse.json(openApiDocument());
}
