import "server-only";
export * from "./types";
export { authorize, decide, type Decision, type Permission } from "./permissions";
export { authorizeMutation, refuseMutation } from "./authorize-audited";
export { authenticate, authorizeRequest, identify, contextFor, readCookie, requestIdOf, stillAuthorized } from "./authenticate";
export { sessionCookie, csrfCookie, type NewSession } from "./sessions";
export { createApiToken, revokeApiToken, listApiTokens } from "./manage-tokens";
export { signInError, signInErrorCode, signInErrorMessage, type SignInErrorCode } from "./sign-in-errors";
export { beginOidcSignIn, completeOidcSignIn, demoSignIn, demoSignInEnabled, signOut, safeReturnTo } from "./sign-in";
export { currentPrincipal, requirePagePrincipal } from "./current-principal";
export { systemContext } from "./system-context";
export { listDemoPeople } from "./demo-people";
export { rolesForGroups } from "./role-mapping";
export { setSessionCookies, clearSessionCookies, cookiesAreSecure, oidcStateCookie } from "./cookies";

/** The database identity's use cases run on, for route handlers (which never reach the database themselves). */
export async function identityDb() {
  const { database } = await import("../shared/db");
  return (await database()).prisma;
}
