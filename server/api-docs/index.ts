import "server-only";
import { catalogueOpenApi } from "../catalogue/openapi";

/** Slipway's REST API v1 as an OpenAPI 3.1 document; each module contributes its paths and schemas. */
export function openApiDocument() {
  const parts = [catalogueOpenApi()];
  return {
    openapi: "3.1.0",
    info: {
      title: "Slipway API",
      version: "1",
      description: "Service catalogue, releases and production checkpoints. Errors are RFC 9457 problem+json.",
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
