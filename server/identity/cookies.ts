import "server-only";
import type { NextResponse } from "next/server";
import { config } from "../shared/config";
import { csrfCookie, sessionCookie, type NewSession } from "./sessions";

export const oidcStateCookie = "slipway_oidc_state";

/** Secure cookies whenever the browser reached us over https (directly or through a proxy), or when told to. */
export function cookiesAreSecure(request: Request): boolean {
  const setting = config().cookieSecure;
  if (setting !== "auto") return setting === "true";
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return proto === "https";
}

export function setSessionCookies(response: NextResponse, request: Request, session: NewSession): void {
  const secure = cookiesAreSecure(request);
  response.cookies.set(sessionCookie, session.token, { httpOnly: true, sameSite: "lax", secure, path: "/", expires: session.expiresAt });
  // Readable by Slipway's pages, which echo it in x-csrf-token; useless to another origin.
  response.cookies.set(csrfCookie, session.csrfToken, { httpOnly: false, sameSite: "strict", secure, path: "/", expires: session.expiresAt });
}

export function clearSessionCookies(response: NextResponse): void {
  response.cookies.set(sessionCookie, "", { path: "/", maxAge: 0 });
  response.cookies.set(csrfCookie, "", { path: "/", maxAge: 0 });
}
