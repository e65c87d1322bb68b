import "server-only";
import { catalogueOpenApi } from "../catalogue";
import { deliveryOpenApi } from "../delivery";
import { operationsOpenApi } from "./operations";

let built: ReturnType<typeof buildDocument> | undefined;

/** Slipway's REST API v1 as an OpenAPI 3.1 document, built once (it only changes with the code). */
export function openApiDocument() {
  return (built ??= buildDocument());
}

/** Each module contributes its paths and schemas. */
function buildDocument() {
  const parts = [catalogueOpenApi(), operationsOpenApi(), deliveryOpenApi()];
  return {
    openapi: "3.1.0",
    info: {
      title: "Slipway API",
      version: "1",
      description:
        "Service catalogue, identity and audit, cluster runtime, releases and production checkpoints. Send `Authorization: Bearer slw_…` (or a session cookie plus `x-csrf-token` for changes). Errors are RFC 9457 problem+json.",
    },
    paths: Object.assign({}, ...parts.map((p) => p.paths)),
    components: {
      schemas: {
        Problem: {
          type: "object",
          required: ["type", "title", "status", "detail"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            instance: { type: "string" },
            errors: { type: "array", items: {} },
          },
        },
        ...Object.assign({}, ...parts.map((p) => p.schemas)),
      },
    },
  };
}
