import "server-only";
import { z } from "zod";
import { auditEventSchema, auditQuerySchema } from "../audit";
import { apiTokenSchema, createTokenSchema } from "../identity";
import { rolloutQuerySchema } from "../releases";
import { decisionSchema, freezeSchema, registerReleaseSchema, requestRolloutSchema, rollbackSchema } from "../releases";
import { workloadActions } from "../releases";
import { alertsQuerySchema, metricsQuerySchema } from "../metrics";
import { deliveryQuerySchema } from "../notifications";
import { jsonSchema as schema, pathParameter as path, problemResponse as problem, queryParameters } from "../shared/openapi";

/**
 * The identity, audit, cluster and release parts of the OpenAPI document. Request bodies and query parameters come
 * from the zod schemas the handlers validate with; responses name what they return.
 */

const json = (description: string, body: Record<string, unknown> = { type: "object" }) => ({ description, content: { "application/json": { schema: body } } });
const body = (s: z.ZodType) => ({ required: true, content: { "application/json": { schema: schema(s, "input") } } });
const sse = (description: string) => ({ description, content: { "text/event-stream": { schema: { type: "string" } } } });
const denied = { "401": problem("Not signed in, or a bad token"), "403": problem("Not allowed (the permission check said why)") };
const conflict = problem("The rollout or release is not in a state that allows this (or a freeze blocks it)");

const rollout = { $ref: "#/components/schemas/Rollout" };

export function operationsOpenApi() {
  return {
    paths: {
      "/api/v1/me": {
        get: { summary: "The signed-in person or token: roles, squads, what it may approve", responses: { "200": json("Who you are"), ...denied } },
      },
      "/api/v1/tokens": {
        get: {
          summary: "Your API tokens (admins: also squad tokens)",
          responses: { "200": json("Tokens", { type: "object", properties: { items: { type: "array", items: schema(apiTokenSchema) } } }), ...denied },
        },
        post: {
          summary: "Create an API token; the secret is in this response only",
          requestBody: body(createTokenSchema),
          responses: {
            "201": json("The token and its secret"),
            "400": problem("Invalid input"),
            "429": problem("Too many token requests; see Retry-After"),
            ...denied,
          },
        },
      },
      "/api/v1/tokens/{id}": {
        delete: { summary: "Revoke a token", parameters: [path("id")], responses: { "200": json("Revoked"), "404": problem("No such token"), ...denied } },
      },
      "/api/v1/audit": {
        get: {
          summary: "The audit trail, newest first (`targetType=service&target=X` also returns the service's rollout events)",
          parameters: queryParameters(auditQuerySchema),
          responses: {
            "200": json("A page of events", {
              type: "object",
              properties: { items: { type: "array", items: schema(auditEventSchema) }, nextCursor: { type: ["string", "null"] } },
            }),
            ...denied,
          },
        },
      },
      "/api/v1/audit/verify": {
        get: { summary: "Recompute the hash chain", responses: { "200": json("`{ok: true, events}` or the first broken link"), ...denied } },
      },
      "/api/v1/audit/digests": {
        get: {
          summary: "Signed digests of the chain's head, oldest first (`format=jsonl`: all of them, for `npm run audit:verify`)",
          parameters: [
            { name: "format", in: "query", schema: { enum: ["json", "jsonl"] } },
            { name: "limit", in: "query", schema: { type: "integer" } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: { "200": json("A page of digests `{items, nextCursor}`, or JSON Lines"), ...denied },
        },
      },
      "/api/v1/audit/public-key": {
        get: {
          summary: "The Ed25519 public key (PEM) that verifies the digests",
          responses: {
            "200": { description: "SPKI PEM", content: { "application/x-pem-file": { schema: { type: "string" } } } },
            "404": problem("Digests are off: no signing key configured"),
            ...denied,
          },
        },
      },
      "/api/v1/audit/export": {
        get: {
          summary: "Every matching event, oldest first, as JSON Lines or CSV",
          parameters: [...queryParameters(auditQuerySchema), { name: "format", in: "query", schema: { enum: ["jsonl", "csv"] } }],
          responses: {
            "200": {
              description: "The export",
              content: { "application/x-ndjson": { schema: { type: "string" } }, "text/csv": { schema: { type: "string" } } },
            },
            ...denied,
          },
        },
      },
      "/api/v1/services/{name}/runtime": {
        get: {
          summary: "What runs now, per environment and cluster: versions, replicas, rollout status, ReplicaSets, pods, events",
          parameters: [path("name")],
          responses: { "200": json("Runtime; unreachable clusters appear in `errors`"), "404": problem("No such service"), ...denied },
        },
      },
      "/api/v1/services/{name}/metrics": {
        get: {
          summary: "A service's metric panels in one environment and range, with every rollout there as a marker (the server builds every query)",
          parameters: [path("name"), ...queryParameters(metricsQuerySchema)],
          responses: {
            "200": json("`{panels: [{id, title, unit, series: [{labels, points: [[t, v]]}], error}], markers, step, from, to, errors, source}`"),
            "400": problem("Invalid range or environment"),
            "404": problem("No such service or environment"),
            ...denied,
          },
        },
      },
      "/api/v1/services/{name}/alerts": {
        get: {
          summary: "Firing and pending alerts of a service in one environment",
          parameters: [path("name"), ...queryParameters(alertsQuerySchema)],
          responses: { "200": json("`{alerts: [{name, state, labels, annotations, activeAt, value}], errors}`"), ...denied },
        },
      },
      "/api/v1/services/{name}/metrics/stream": {
        get: {
          summary: "Deploy markers of a service in one environment, pushed on every rollout change (server-sent events)",
          parameters: [path("name"), { name: "environment", in: "query", required: true, schema: { type: "string" } }],
          responses: { "200": sse("`markers` events: every rollout that reached the environment in the last 31 days"), ...denied },
        },
      },
      ...logsOperations(),
      "/api/v1/services/{name}/runtime/stream": {
        get: { summary: "The runtime, pushed on every change (server-sent events)", parameters: [path("name")], responses: { "200": sse("`runtime` events") } },
      },
      "/api/v1/running-versions": {
        get: {
          summary: "The version each environment runs, for up to 200 services",
          parameters: [{ name: "service", in: "query", schema: { type: "string" }, description: "comma-separated service names" }],
          responses: { "200": json("Environments and versions"), ...denied },
        },
      },
      "/api/v1/services/{name}/releases": {
        get: {
          summary: "A service's releases, newest first",
          parameters: [path("name")],
          responses: { "200": json("Releases"), "404": problem("No such service"), ...denied },
        },
        post: {
          summary: "Register a build (token scope releases:write). Idempotent on (service, version); auto environments roll it out at once",
          parameters: [path("name")],
          requestBody: body(registerReleaseSchema),
          responses: {
            "201": json("Registered, with the automatic rollouts started"),
            "200": json("Already registered, unchanged"),
            "409": problem("This version exists with another image"),
            "400": problem("Invalid input"),
            ...denied,
          },
        },
      },
      "/api/v1/services/{name}/deploys": {
        get: {
          summary: "What runs where, what waits, and the releases",
          parameters: [path("name")],
          responses: { "200": json("Deploy status"), "404": problem("No such service"), ...denied },
        },
      },
      "/api/v1/services/{name}/environments/{environment}/{action}": {
        post: {
          summary: "Operate the service's workloads in one environment (audited)",
          parameters: [path("name"), path("environment"), { ...path("action"), schema: { enum: [...workloadActions] } }],
          requestBody: body(z.object({ reason: z.string().max(2000).optional() })),
          responses: { "200": json("Done, per workload"), "404": problem("No such service, environment or action"), ...denied },
        },
      },
      "/api/v1/rollouts": {
        get: {
          summary: "Rollouts, newest first",
          parameters: queryParameters(rolloutQuerySchema),
          responses: {
            "200": json("A page of rollouts", {
              type: "object",
              properties: { items: { type: "array", items: rollout }, nextCursor: { type: ["string", "null"] } },
            }),
            ...denied,
          },
        },
        post: {
          summary: "Request a rollout; in a checkpoint environment it waits for another person's approval",
          requestBody: body(requestRolloutSchema),
          responses: { "201": json("The rollout", rollout), "409": conflict, "404": problem("No such service, environment or release"), ...denied },
        },
      },
      "/api/v1/rollouts/{id}": {
        get: {
          summary: "One rollout with its checkpoints, approvals and targets",
          parameters: [path("id")],
          responses: { "200": json("The rollout", rollout), "404": problem("No such rollout"), ...denied },
        },
      },
      "/api/v1/rollouts/{id}/evidence": {
        get: {
          summary: "What a checkpoint decides on: the release, the changes since what runs, the earlier environments",
          parameters: [path("id")],
          responses: { "200": json("Evidence"), "404": problem("No such rollout"), ...denied },
        },
      },
      "/api/v1/rollouts/{id}/stream": {
        get: {
          summary: "The rollout and its live workloads, pushed on every change (server-sent events)",
          parameters: [path("id")],
          responses: { "200": sse("`rollout` events") },
        },
      },
      "/api/v1/rollouts/{id}/approve": {
        post: {
          summary: "Approve the open checkpoint (never your own request; N approvals from N people)",
          parameters: [path("id")],
          requestBody: body(decisionSchema),
          responses: { "200": json("The rollout", rollout), "409": conflict, ...denied },
        },
      },
      "/api/v1/rollouts/{id}/reject": {
        post: {
          summary: "Reject the open checkpoint",
          parameters: [path("id")],
          requestBody: body(decisionSchema),
          responses: { "200": json("The rollout", rollout), "409": conflict, ...denied },
        },
      },
      "/api/v1/rollouts/{id}/cancel": {
        post: {
          summary: "Cancel your own request before it is applied",
          parameters: [path("id")],
          requestBody: body(z.object({ reason: z.string().max(2000).optional() })),
          responses: { "200": json("The rollout", rollout), "409": conflict, ...denied },
        },
      },
      "/api/v1/rollouts/{id}/rollback": {
        post: {
          summary: "Roll back to the previous release or a chosen one (allowed during a freeze)",
          parameters: [path("id")],
          requestBody: body(rollbackSchema),
          responses: { "201": json("The rollback rollout", rollout), "409": conflict, ...denied },
        },
      },
      "/api/v1/checkpoints": {
        get: {
          summary: "Checkpoints awaiting approval, oldest first",
          parameters: [
            { name: "state", in: "query", schema: { enum: ["awaiting_approval"] } },
            { name: "mine", in: "query", schema: { enum: ["true", "false"] }, description: "only those you may decide" },
          ],
          responses: { "200": json("Checkpoints"), ...denied },
        },
      },
      "/api/v1/freezes": {
        get: { summary: "Active and coming freezes", responses: { "200": json("Freezes"), ...denied } },
        post: {
          summary: "Freeze deploys globally or for a service/environment (admins)",
          requestBody: body(freezeSchema),
          responses: { "201": json("The freeze"), "400": problem("Invalid input"), ...denied },
        },
      },
      "/api/v1/freezes/{id}": {
        delete: { summary: "Lift a freeze", parameters: [path("id")], responses: { "200": json("Lifted"), "404": problem("No such freeze"), ...denied } },
      },
      "/api/v1/notifications/deliveries": {
        get: {
          summary: "The notification delivery log (admins): each event per target, its attempts, status and next retry",
          parameters: queryParameters(deliveryQuerySchema),
          responses: { "200": json("Deliveries, newest first, and counts by state"), ...denied },
        },
      },
      "/api/v1/notifications/deliveries/{id}/resend": {
        post: {
          summary: "Send a delivery again (admins; audited). A delivered one goes out with a new idempotency key",
          parameters: [path("id")],
          responses: { "200": json("The delivery, pending again"), "404": problem("No such delivery"), "409": problem("Being sent right now"), ...denied },
        },
      },
      "/api/healthz": {
        get: { summary: "Liveness: 200 when the database answers", responses: { "200": json("`{status: ok}`"), "503": json("The database does not answer") } },
      },
      "/api/livez": {
        get: { summary: "Liveness probe: 200 while the process serves requests (checks nothing outside it)", responses: { "200": json("`{status: ok}`") } },
      },
      "/api/readyz": {
        get: {
          summary: "Readiness probe: 200 when the database answers within 2 s",
          responses: { "200": json("`{status: ok}`"), "503": problem("The database does not answer") },
        },
      },
    },
    schemas: {
      Rollout: { type: "object", description: "A rollout: service, environment, release, state, requester, checkpoints, approvals, targets, timings" },
    },
  };
}

const logFilters = [
  { name: "environment", in: "query", required: true, schema: { type: "string" } },
  {
    name: "q",
    in: "query",
    schema: { type: "string", maxLength: 512 },
    description: "Text matched against the message field only (simple_query_string with limited flags); never a query language",
  },
  { name: "pod", in: "query", schema: { type: "string" } },
  { name: "container", in: "query", schema: { type: "string" } },
  {
    name: "rollout",
    in: "query",
    schema: { type: "string", format: "uuid" },
    description: "Only the new pods of this rollout (containers running its release's image)",
  },
  {
    name: "level",
    in: "query",
    schema: { type: "array", items: { enum: ["trace", "debug", "info", "warn", "error", "fatal"] } },
    style: "form",
    explode: true,
  },
];
const logRange = [
  { name: "from", in: "query", schema: { type: "string" }, description: "RFC 3339 or epoch milliseconds; default an hour before `to`" },
  { name: "to", in: "query", schema: { type: "string" }, description: "RFC 3339 or epoch milliseconds; default now. A range covers at most 31 days" },
];
const logLine = {
  type: "object",
  properties: {
    id: { type: "string", description: "Opaque; pass it to /logs/context" },
    timestamp: { type: "string" },
    pod: { type: "string" },
    container: { type: "string" },
    level: { enum: ["trace", "debug", "info", "warn", "error", "fatal", "unknown"] },
    message: { type: "string" },
    fields: { type: "object" },
  },
};
const logProblems = {
  type: "array",
  items: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, source: { type: "string" } } },
};

/** The Logs tab's API: the log store (Elasticsearch/OpenSearch) per environment, and pods' logs through the cluster. */
function logsOperations() {
  return {
    "/api/v1/services/{name}/logs": {
      get: {
        summary: "A page of a service's logs in one environment, newest first (paged through a point in time with `cursor`)",
        parameters: [
          path("name"),
          ...logFilters,
          ...logRange,
          { name: "cursor", in: "query", schema: { type: "string" }, description: "`nextCursor` of the previous page" },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 200 } },
        ],
        responses: {
          "200": json("`{lines, nextCursor, errors}`; an unconfigured or unreachable log store is reported in `errors`", {
            type: "object",
            properties: { lines: { type: "array", items: logLine }, nextCursor: { type: ["string", "null"] }, errors: logProblems },
          }),
          "400": problem("Invalid filters, or a cursor without its from and to"),
          "422": problem("A range over 31 days"),
          "404": problem("No such service or environment"),
          ...denied,
        },
      },
    },
    "/api/v1/services/{name}/logs/context": {
      get: {
        summary: "The lines around one line, from the same pod and container, oldest first",
        parameters: [
          path("name"),
          { name: "environment", in: "query", required: true, schema: { type: "string" } },
          { name: "id", in: "query", required: true, schema: { type: "string" } },
          { name: "size", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 10 }, description: "Lines on each side" },
        ],
        responses: {
          "200": json("`{lines, anchorId, errors}`", {
            type: "object",
            properties: { lines: { type: "array", items: logLine }, anchorId: { type: "string" }, errors: logProblems },
          }),
          "404": problem("No such service, environment or line"),
          ...denied,
        },
      },
    },
    "/api/v1/services/{name}/logs/stream": {
      get: {
        summary: "Live tail of a service's logs (server-sent events); one server-side poll per distinct query",
        parameters: [
          path("name"),
          ...logFilters,
          { name: "since", in: "query", schema: { type: "integer" }, description: "Resume after a pause from this `position` (epoch ms)" },
        ],
        responses: { "200": sse("`lines` events `{lines (oldest first), position, truncated}`; `problem` events when the log store fails"), ...denied },
      },
    },
    "/api/v1/services/{name}/logs/error-rate": {
      get: {
        summary: "Error lines per minute over a range, counted by the log store (a date_histogram), for the Metrics tab's charts",
        parameters: [
          path("name"),
          { name: "environment", in: "query", required: true, schema: { type: "string" } },
          { name: "pod", in: "query", schema: { type: "string" } },
          { name: "container", in: "query", schema: { type: "string" } },
          { name: "rollout", in: "query", schema: { type: "string", format: "uuid" }, description: "Only the new pods of this rollout (its release's image)" },
          ...logRange,
        ],
        responses: {
          "200": json("`{intervalMs, points: [[epoch ms, lines per minute]], errors}`; no log store is reported in `errors` with no points", {
            type: "object",
            properties: {
              intervalMs: { type: "integer", description: "60000, or whole minutes when the range holds more than 1,440 of them" },
              points: { type: "array", items: { type: "array", prefixItems: [{ type: "integer" }, { type: "number" }] } },
              errors: logProblems,
            },
          }),
          "400": problem("Invalid filters"),
          "404": problem("No such service, environment or rollout"),
          "422": problem("A range over 31 days, or from after to"),
          ...denied,
        },
      },
    },
    "/api/v1/services/{name}/logs/export": {
      get: {
        summary: "The current view as NDJSON, newest first, at most 10,000 lines (a last `_slipway.truncated` line says the cap was reached)",
        parameters: [path("name"), ...logFilters, ...logRange],
        responses: { "200": { description: "One line object per line", content: { "application/x-ndjson": { schema: { type: "string" } } } }, ...denied },
      },
    },
    "/api/v1/services/{name}/pods/{pod}/logs": {
      get: {
        summary: "A pod's container output from the Kubernetes API (`previous=true`: the container that crashed)",
        parameters: [
          path("name"),
          path("pod"),
          { name: "environment", in: "query", required: true, schema: { type: "string" } },
          { name: "container", in: "query", schema: { type: "string" }, description: "Default: the `app` container, else the first" },
          { name: "previous", in: "query", schema: { type: "boolean" } },
          { name: "tailLines", in: "query", schema: { type: "integer", minimum: 1, maximum: 5000, default: 500 } },
        ],
        responses: {
          "200": json("`{lines (oldest first), errors}`", { type: "object", properties: { lines: { type: "array", items: logLine }, errors: logProblems } }),
          "404": problem("No such service, environment, pod of the service or container"),
          ...denied,
        },
      },
    },
  };
}
