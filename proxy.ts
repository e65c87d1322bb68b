import { NextResponse, type NextRequest } from "next/server";

/**
 * Runs before every page request: a per-request CSP nonce (Next.js applies it to its own scripts), and the
 * sign-in gate for pages. Pages and handlers still check the session themselves; this only saves a round trip.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const path = request.nextUrl.pathname;
  const isPage = !path.startsWith("/_next/") && path !== "/signin";
  if (isPage && !request.cookies.has("slipway_session")) {
    const signIn = new URL("/signin", request.url);
    signIn.searchParams.set("returnTo", `${path}${request.nextUrl.search}`);
    return NextResponse.redirect(signIn);
  }

  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // API responses are JSON with their own strict CSP (next.config.ts); skipping them here saves every API call
  // a pass through the proxy.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)" }],
};
