import { slipway } from "@/server/composition";
import { NextResponse } from "next/server";
import { authenticate, clearSessionCookies, signOut } from "@/server/identity";
import { route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const { principal, context } = await authenticate(request);
  await signOut(slipway().db, principal, context);
  const response = NextResponse.json({ signedOut: true });
  clearSessionCookies(response);
  return response;
});
