import { slipway } from "@/server/composition";
import { NextResponse, type NextRequest } from "next/server";
import { beginOidcSignIn, cookiesAreSecure, demoSignInEnabled, oidcStateCookie, safeReturnTo } from "@/server/identity";
import { clientIp, route } from "@/server/shared/route";
import { publicOrigin } from "@/server/shared/public-url";

export const dynamic = "force-dynamic";

/** Starts single sign-on (authorization code + PKCE), or sends people to the demo sign-in page. */
export const GET = route(async (request: NextRequest) => {
  const returnTo = safeReturnTo(request.nextUrl.searchParams.get("returnTo"));
  if (demoSignInEnabled()) {
    return NextResponse.redirect(new URL(`/signin?returnTo=${encodeURIComponent(returnTo)}`, publicOrigin(request)));
  }
  const prisma = slipway().db;
  const redirectUri = new URL("/api/auth/callback", publicOrigin(request)).href;
  const start = await beginOidcSignIn(prisma, clientIp(request), redirectUri, returnTo);
  const response = NextResponse.redirect(start.url);
  response.cookies.set(oidcStateCookie, start.state, {
    httpOnly: true,
    sameSite: "lax",
    secure: cookiesAreSecure(request),
    path: "/api/auth",
    maxAge: 600,
  });
  return response;
});
