import "server-only";
export * from "./types";
export { authorize, decide, type Decision, type Permission } from "./permissions";
export { authorizeMutation, refuseMutation } from "./authorize-audited";
export { authenticate, authorizeRequest, stillAuthorized } from "./authenticate";
export { type NewSession } from "./sessions";
export { createApiToken, revokeApiToken, listApiTokens } from "./manage-tokens";
export { signInError, signInErrorCode, signInErrorMessage, type SignInErrorCode } from "./sign-in-errors";
export { beginOidcSignIn, completeOidcSignIn, demoSignIn, demoSignInEnabled, signOut, safeReturnTo } from "./sign-in";
export { currentPrincipal, requirePagePrincipal } from "./current-principal";
export { systemContext } from "./system-context";
export { listDemoPeople } from "./demo-people";

export { setSessionCookies, clearSessionCookies, cookiesAreSecure, oidcStateCookie } from "./cookies";
