import "server-only";
import { qualifiedResource } from "./resources";

/** A metav1.Status failure, thrown inside the simulator and written as the response body. */
export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: Array<{ reason: string; message: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  code: number;
}

export class KubeApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
  }

  get code(): number {
    return this.status.code;
  }
}

interface GroupResource {
  group: string;
  plural: string;
}

function fail(code: number, reason: string, message: string, details?: StatusBody["details"]): KubeApiError {
  const status: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details) status.details = details;
  return new KubeApiError(status);
}

function detailsOf(gr: GroupResource, name?: string): NonNullable<StatusBody["details"]> {
  const d: NonNullable<StatusBody["details"]> = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.plural;
  return d;
}

export function notFound(gr: GroupResource, name: string): KubeApiError {
  return fail(404, "NotFound", `${qualifiedResource(gr)} "${name}" not found`, detailsOf(gr, name));
}

export function pathNotFound(): KubeApiError {
  return fail(404, "NotFound", "the server could not find the requested resource", {});
}

export function alreadyExists(gr: GroupResource, name: string): KubeApiError {
  return fail(409, "AlreadyExists", `${qualifiedResource(gr)} "${name}" already exists`, detailsOf(gr, name));
}

export function conflict(gr: GroupResource, name: string, why: string): KubeApiError {
  return fail(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`, detailsOf(gr, name));
}

export const STALE_OBJECT = "the object has been modified; please apply your changes to the latest version and try again";

export function unauthorized(): KubeApiError {
  return fail(401, "Unauthorized", "Unauthorized");
}

export function forbidden(gr: GroupResource | undefined, name: string | undefined, why: string): KubeApiError {
  if (!gr || !gr.plural) return fail(403, "Forbidden", `forbidden: ${why}`, {});
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return fail(403, "Forbidden", `${subject} is forbidden: ${why}`, detailsOf(gr, name));
}

export function forbiddenMessage(message: string): KubeApiError {
  return fail(403, "Forbidden", message);
}

export interface FieldCause {
  type: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueForbidden" | "FieldValueDuplicate";
  field: string;
  detail: string;
  value?: unknown;
}

function causeMessage(cause: FieldCause): string {
  switch (cause.type) {
    case "FieldValueRequired":
      return `${cause.field}: Required value${cause.detail ? `: ${cause.detail}` : ""}`;
    case "FieldValueForbidden":
      return `${cause.field}: Forbidden: ${cause.detail}`;
    case "FieldValueDuplicate":
      return `${cause.field}: Duplicate value: ${JSON.stringify(cause.value)}`;
    case "FieldValueNotSupported":
      return `${cause.field}: Unsupported value: ${JSON.stringify(cause.value)}${cause.detail ? `: ${cause.detail}` : ""}`;
    default:
      return `${cause.field}: Invalid value: ${JSON.stringify(cause.value)}${cause.detail ? `: ${cause.detail}` : ""}`;
  }
}

/** 422 as apimachinery's NewInvalid builds it: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: ...`. */
export function invalid(kind: string, group: string, name: string, causes: FieldCause[]): KubeApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const messages = causes.map(causeMessage);
  const joined = messages.length === 1 ? messages[0] : `[${messages.join(", ")}]`;
  return fail(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: causes.map((c, i) => ({ reason: c.type, message: messages[i]?.slice(c.field.length + 2) ?? c.detail, field: c.field })),
  });
}

/** 422 without field causes, as the patch handler returns when a JSON patch cannot be applied. */
export function unprocessable(message: string): KubeApiError {
  return fail(422, "Invalid", message, {});
}

export function badRequest(message: string): KubeApiError {
  return fail(400, "BadRequest", message);
}

export function methodNotAllowed(): KubeApiError {
  return fail(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});
}

export function notAcceptable(): KubeApiError {
  return fail(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml");
}

export function unsupportedMediaType(accepted: string[]): KubeApiError {
  return fail(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`, {});
}

export function requestTooLarge(): KubeApiError {
  return fail(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
}

export function gone(message: string): KubeApiError {
  return fail(410, "Expired", message);
}

export function internalError(message: string): KubeApiError {
  return fail(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ reason: "", message }] });
}

/** API priority and fairness rejecting a request, with the Retry-After hint clients honour. */
export function tooManyRequests(): KubeApiError {
  return fail(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds: 1 });
}

export function serviceUnavailable(message: string): KubeApiError {
  return fail(503, "ServiceUnavailable", message);
}
