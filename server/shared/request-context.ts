import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/**
 * What every log line of one request carries: its id (the caller's `x-request-id` when it is a sane one, else a new
 * one) and, once authentication knows it, who is calling. The custom server and the Next.js bundles load this module
 * separately, so the storage lives on globalThis: a context entered by the server's HTTP wrapper is the one a route
 * handler's log lines see.
 */
export type RequestContext = {
  readonly requestId: string;
  /** The route template ("/api/v1/services/[name]/logs"), when the HTTP wrapper knows it: never the raw path. */
  route?: string;
  /** "person:<id>" or "token:<id>": an id, never a name, secret or token. */
  principal?: string;
};

const storageKey = Symbol.for("slipway.request-context");
type WithStorage = typeof globalThis & { [storageKey]?: AsyncLocalStorage<RequestContext> };

function storage(): AsyncLocalStorage<RequestContext> {
  const g = globalThis as WithStorage;
  return (g[storageKey] ??= new AsyncLocalStorage<RequestContext>());
}

export const requestIdHeader = "x-request-id";

/** The caller's request id when it is a plain token of 8-100 characters (what it is logged as), else a new one. */
export function requestIdFrom(given: string | null | undefined): string {
  return given && /^[\w.-]{8,100}$/.test(given) ? given : randomUUID();
}

export function currentRequestContext(): RequestContext | undefined {
  return storage().getStore();
}

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage().run(context, fn);
}

/** Records who is calling, for the rest of the request's log lines (authentication calls this). */
export function notePrincipal(principal: { kind: "person" | "token"; id: string }): void {
  const context = storage().getStore();
  if (context) context.principal = `${principal.kind}:${principal.id}`;
}

/**
 * Runs `fn` outside any request's context: for work one request starts and others share (a cluster watch, a shared
 * poll), whose log lines would otherwise carry the id of whichever request happened to start it.
 */
export function outsideRequest<T>(fn: () => T): T {
  return storage().exit(fn);
}
