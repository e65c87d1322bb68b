import "server-only";
import { cache } from "react";
import { database } from "../shared/db";
import { findSessionPrincipal, sessionCookie } from "./sessions";
import type { Principal } from "./types";

/**
 * The signed-in person for a server component, or null: read once per request, however many of the page's layout,
 * top bar and content ask.
 */
export const currentPrincipal = cache(async (): Promise<Extract<Principal, { kind: "session" }> | null> => {
  // Loaded on first use: next/headers needs Next's request storage, which the custom server's start-up code
  // (migrations, the demo seed, the reconciler) reaches this module without.
  const { cookies } = await import("next/headers");
  const token = (await cookies()).get(sessionCookie)?.value;
  if (!token) return null;
  const principal = await findSessionPrincipal((await database()).prisma, token);
  return principal?.kind === "session" ? principal : null;
});

/** Pages need a signed-in person: send everyone else to sign in and back. */
export async function requirePagePrincipal(returnTo: string): Promise<Extract<Principal, { kind: "session" }>> {
  const principal = await currentPrincipal();
  if (!principal) {
    const navigation = await import("next/navigation");
    return navigation.redirect(`/signin?returnTo=${encodeURIComponent(returnTo)}`);
  }
  return principal;
}
