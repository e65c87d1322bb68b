import { slipway } from "@/server/composition";
import { NextResponse, type NextRequest } from "next/server";
import { completeOidcSignIn, oidcStateCookie, setSessionCookies, signInErrorCode } from "@/server/identity";
import { AppError } from "@/server/shared/errors";
import { logger } from "@/server/shared/logger";
import { publicOrigin } from "@/server/shared/public-url";
import { clientIp } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** The identity provider sends the browser back here with a code; a failure lands on the sign-in page, explained. */
export async function GET(request: NextRequest) {
  const origin = publicOrigin(request);
  try {
    const prisma = slipway().db;
    const { session, returnTo } = await completeOidcSignIn(prisma, {
      callbackUrl: request.nextUrl,
      cookieState: request.cookies.get(oidcStateCookie)?.value,
      ip: clientIp(request),
      userAgent: request.headers.get("user-agent") ?? undefined,
      redirectUri: new URL("/api/auth/callback", origin).href,
    });
    const response = NextResponse.redirect(new URL(returnTo, origin), 303);
    setSessionCookies(response, request, session);
    response.cookies.set(oidcStateCookie, "", { path: "/api/auth", maxAge: 0 });
    return response;
  } catch (error) {
    if (!(error instanceof AppError)) logger().error({ err: error }, "sign-in callback failed");
    return NextResponse.redirect(new URL(`/signin?error=${signInErrorCode(error)}`, origin), 303);
  }
}
