import { NextResponse, type NextRequest } from "next/server";
import { demoSignIn, safeReturnTo, setSessionCookies } from "@/server/identity";
import { database } from "@/server/shared/db";
import { BadRequestError, ForbiddenError } from "@/server/shared/errors";
import { publicOrigin } from "@/server/shared/public-url";
import { clientIp, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

/** Demo sign-in: become any demo person. A form post from the sign-in page, or JSON {person} from a script. */
export async function POST(request: NextRequest) {
  const isForm = !(request.headers.get("content-type") ?? "").startsWith("application/json");
  const response = await handle(request, { params: Promise.resolve({}) });
  // A plain form post gets its refusal as a readable message on the sign-in page, not as JSON.
  if (isForm && response.status >= 400) {
    const problem = (await response.clone().json().catch(() => ({}))) as { detail?: string };
    return NextResponse.redirect(new URL(`/signin?error=${encodeURIComponent(problem.detail ?? "Sign-in failed.")}`, publicOrigin(request)), 303);
  }
  return response;
}

const handle = route(async (request: NextRequest) => {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw new ForbiddenError("Sign in from Slipway's own page.");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim();
  let person: unknown;
  let returnTo: unknown;
  if (type === "application/json") {
    const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
    person = body.person;
    returnTo = body.returnTo;
  } else {
    const form = await request.formData().catch(() => undefined);
    person = form?.get("person");
    returnTo = form?.get("returnTo");
  }
  if (typeof person !== "string" || !/^[\w.-]{1,63}$/.test(person)) throw new BadRequestError("Choose a person to sign in as.");
  const { prisma } = await database();
  const session = await demoSignIn(prisma, {
    personName: person,
    ip: clientIp(request),
    userAgent: request.headers.get("user-agent") ?? undefined,
  });
  const response =
    type === "application/json"
      ? NextResponse.json({ signedIn: person })
      : NextResponse.redirect(new URL(safeReturnTo(typeof returnTo === "string" ? returnTo : "/"), publicOrigin(request)), 303);
  setSessionCookies(response, request, session);
  return response;
});
