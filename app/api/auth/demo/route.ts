import { slipway } from "@/server/composition";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { demoSignIn, safeReturnTo, setSessionCookies, signInError, signInErrorCode } from "@/server/identity";
import { maxRequestBodyBytes, readTextBody } from "@/server/shared/body";
import { publicOrigin } from "@/server/shared/public-url";
import { clientIp, parseJsonBody, route } from "@/server/shared/route";

export const dynamic = "force-dynamic";

const formTypes = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** Demo sign-in: become any demo person. A form post from the sign-in page, or JSON {person} from a script. */
export async function POST(request: NextRequest) {
  const isForm = !(request.headers.get("content-type") ?? "").startsWith("application/json");
  const response = await handle(request, { params: Promise.resolve({}) });
  // A plain form post gets its refusal as a readable message on the sign-in page (by code), not as JSON.
  if (isForm && response.status >= 400) {
    const problem: unknown = await response
      .clone()
      .json()
      .catch(() => ({ status: response.status }));
    return NextResponse.redirect(new URL(`/signin?error=${signInErrorCode(problem)}`, publicOrigin(request)), 303);
  }
  return response;
}

const handle = route(async (request: NextRequest) => {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw signInError(403, "cross_site");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim();
  let person: unknown;
  let returnTo: unknown;
  if (type === "application/json") {
    ({ person, returnTo } = await parseJsonBody(request, z.object({ person: z.unknown().optional(), returnTo: z.unknown().optional() })));
  } else {
    // Read through the size limit first: formData() would buffer a body of any size.
    const text = await readTextBody(request, { types: formTypes, maxBytes: maxRequestBodyBytes });
    const form = await new Response(text, { headers: { "content-type": request.headers.get("content-type")! } }).formData().catch(() => undefined);
    person = form?.get("person");
    returnTo = form?.get("returnTo");
  }
  if (typeof person !== "string" || !/^[\w.-]{1,63}$/.test(person)) throw signInError(400, "choose_person");
  const prisma = slipway().db;
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
