import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { database } from "../shared/db";
import { findSessionPrincipal, sessionCookie } from "./sessions";
import type { Principal } from "./types";

/**
 * The signed-in person for a server component, or null: read once per request, however many of the page's layout,
 * top bar and content ask.
 */
export const currentPrincipal = cache(async (): Promise<Extract<Principal, { kind: "session" }> | null> => {
  const token = (await cookies()).get(sessionCookie)?.value;
  if (!token) return null;
  const principal = await findSessionPrincipal((await database()).prisma, token);
  return principal?.kind === "session" ? principal : null;
});

/** Pages need a signed-in person: send everyone else to sign in and back. */
export async function requirePagePrincipal(returnTo: string): Promise<Extract<Principal, { kind: "session" }>> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?returnTo=${encodeURIComponent(returnTo)}`);
  return principal;
}
