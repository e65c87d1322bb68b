import "server-only";
import type { IncomingMessage } from "node:http";
import { badRequest, forbidden, internalError, unauthorized } from "./api-errors";
import type { RbacRule, UserIdentity } from "./types";

/** Bearer-token authentication, impersonation and an RBAC evaluator with the apiserver's forbidden messages. */

export interface AuthenticatedUser {
  name: string;
  groups: string[];
  uid?: string;
}

export interface RequestAttributes {
  verb: string;
  /** Resource requests. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource requests ("/version", "/apis"). */
  path?: string;
}

const SUPERUSER_GROUP = "system:masters";
// system:discovery, system:basic-user and system:public-info-viewer, bound to every authenticated user.
const DISCOVERY_PATHS = [/^\/api(\/.*)?$/, /^\/apis(\/.*)?$/, /^\/version\/?$/, /^\/openapi(\/.*)?$/, /^\/healthz$/, /^\/livez$/, /^\/readyz$/];

export class AccessControl {
  private rules: RbacRule[];
  private readonly tokens = new Map<string, UserIdentity>();

  constructor(
    tokens: Record<string, UserIdentity>,
    rules: RbacRule[],
    /** --anonymous-auth: requests without credentials act as this identity instead of getting 401. */
    private readonly anonymous?: UserIdentity,
  ) {
    for (const [token, identity] of Object.entries(tokens)) this.tokens.set(token, identity);
    this.rules = [...rules];
  }

  addToken(token: string, identity: UserIdentity): void {
    this.tokens.set(token, identity);
  }

  setRules(rules: RbacRule[]): void {
    this.rules = [...rules];
  }

  authenticate(req: IncomingMessage): AuthenticatedUser {
    const header = req.headers.authorization ?? "";
    if (!header.trim() && this.anonymous) {
      return { name: this.anonymous.user, groups: [...new Set([...(this.anonymous.groups ?? []), "system:unauthenticated"])] };
    }
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    const identity = m ? this.tokens.get((m[1] ?? "").trim()) : undefined;
    if (!identity) throw unauthorized();
    return { name: identity.user, groups: [...new Set([...(identity.groups ?? []), "system:authenticated"])] };
  }

  /**
   * Applies Impersonate-User / Impersonate-Group / Impersonate-Uid. Every Impersonate-Group header line is one
   * group (Go's http.Header keeps repeated lines apart; "a, b" on one line is a single group named "a, b").
   */
  impersonate(req: IncomingMessage, actor: AuthenticatedUser): AuthenticatedUser {
    const distinct = req.headersDistinct;
    const user = distinct["impersonate-user"]?.[0];
    const groups = distinct["impersonate-group"] ?? [];
    const uid = distinct["impersonate-uid"]?.[0];
    const extras = Object.keys(distinct).filter((h) => h.startsWith("impersonate-extra-"));
    if (user === undefined) {
      if (groups.length > 0 || uid !== undefined || extras.length > 0) {
        throw internalError(`requested [${groups.map((g) => `{Group  ${g}  }`).join(" ")}] without impersonating a user`);
      }
      return actor;
    }
    if (!user) throw badRequest("impersonated user name must not be empty");
    const checks: Array<{ resource: string; name: string; apiGroup: string }> = [];
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
    if (sa) checks.push({ resource: "serviceaccounts", name: sa[2] ?? "", apiGroup: "" });
    else checks.push({ resource: "users", name: user, apiGroup: "" });
    for (const g of groups) checks.push({ resource: "groups", name: g, apiGroup: "" });
    if (uid !== undefined) checks.push({ resource: "uids", name: uid, apiGroup: "authentication.k8s.io" });
    for (const check of checks) {
      const attrs: RequestAttributes = {
        verb: "impersonate",
        apiGroup: check.apiGroup,
        resource: check.resource,
        name: check.name,
        ...(sa && check.resource === "serviceaccounts" ? { namespace: sa[1] } : {}),
      };
      if (!this.allowed(actor, attrs)) {
        throw forbidden({ group: check.apiGroup, plural: check.resource }, check.name, forbiddenReason(actor, attrs));
      }
    }
    const impersonatedGroups = [...groups];
    if (sa) impersonatedGroups.push("system:serviceaccounts", `system:serviceaccounts:${sa[1]}`);
    if (user !== "system:anonymous" && !impersonatedGroups.includes("system:authenticated")) impersonatedGroups.push("system:authenticated");
    return { name: user, groups: impersonatedGroups, ...(uid !== undefined ? { uid } : {}) };
  }

  allowed(user: AuthenticatedUser, attrs: RequestAttributes): boolean {
    if (user.groups.includes(SUPERUSER_GROUP)) return true;
    if (attrs.path !== undefined) {
      if (attrs.verb === "get" && DISCOVERY_PATHS.some((re) => re.test(attrs.path ?? ""))) return true;
      return this.rules.some((r) => subjectMatches(r, user) && nonResourceMatches(r, attrs));
    }
    // SelfSubjectAccessReview / SelfSubjectRulesReview are open to everyone (system:basic-user).
    if (attrs.apiGroup === "authorization.k8s.io" && attrs.verb === "create" && attrs.resource?.startsWith("selfsubject")) return true;
    return this.rules.some((r) => subjectMatches(r, user) && resourceMatches(r, attrs));
  }

  /** Throws 403 with the apiserver's message when `user` may not do `attrs`. */
  authorize(user: AuthenticatedUser, attrs: RequestAttributes): void {
    if (this.allowed(user, attrs)) return;
    const reason = forbiddenReason(user, attrs);
    if (attrs.path !== undefined) throw forbidden(undefined, undefined, reason);
    throw forbidden({ group: attrs.apiGroup ?? "", plural: attrs.resource ?? "" }, attrs.name, reason);
  }
}

function subjectMatches(rule: RbacRule, user: AuthenticatedUser): boolean {
  return rule.subjects.some((s) => (s.kind === "User" ? s.name === user.name : user.groups.includes(s.name)));
}

function includesOrStar(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === "*" || v === value);
}

function resourceMatches(rule: RbacRule, attrs: RequestAttributes): boolean {
  if (!includesOrStar(rule.verbs, attrs.verb)) return false;
  if (!includesOrStar(rule.apiGroups, attrs.apiGroup ?? "")) return false;
  const resource = attrs.resource ?? "";
  const combined = attrs.subresource ? `${resource}/${attrs.subresource}` : resource;
  const resourceOk = (rule.resources ?? []).some(
    (r) => r === "*" || r === combined || (attrs.subresource !== undefined && (r === `*/${attrs.subresource}` || r === `${resource}/*`)),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(attrs.name ?? "")) return false;
  if (rule.namespaces !== undefined) {
    if (!attrs.namespace) return false;
    if (!rule.namespaces.includes(attrs.namespace) && !rule.namespaces.includes("*")) return false;
  }
  return true;
}

function nonResourceMatches(rule: RbacRule, attrs: RequestAttributes): boolean {
  if (!includesOrStar(rule.verbs, attrs.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === "*" || u === attrs.path || (u.endsWith("*") && (attrs.path ?? "").startsWith(u.slice(0, -1))));
}

/** apiserver forbiddenMessage(): `User "u" cannot patch resource "deployments" in API group "apps" in the namespace "ns"`. */
export function forbiddenReason(user: AuthenticatedUser, attrs: RequestAttributes): string {
  if (attrs.path !== undefined) return `User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : (attrs.resource ?? "");
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  return `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup ?? ""}" ${scope}`;
}
