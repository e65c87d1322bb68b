import "server-only";
// The permission check and the principal type, for modules that must not pull in sessions or sign-in.
export { authorize, decide, type Decision, type Permission } from "./permissions";
export type { Principal, PersonIdentity, Role, TokenScope } from "./types";
export { authorizeMutation, refuseMutation } from "./authorize-audited";
