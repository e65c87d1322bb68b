import "server-only";
import {
  facetsSchema,
  importErrorSchema,
  importResultSchema,
  quickSearchResultSchema,
  serviceDetailSchema,
  servicePageSchema,
  serviceQuerySchema,
  teamDetailSchema,
  teamPageSchema,
  teamQuerySchema,
} from "./types";
import { jsonSchema as schema, pathParameter, problemRef, problemResponse, queryParameters } from "../shared/openapi";

const ok = (ref: string) => ({
  description: "OK",
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const nameParameter = pathParameter("name");

/** The catalogue part of the OpenAPI 3.1 document, generated from the same zod schemas the handlers use. */
export function catalogueOpenApi() {
  return {
    paths: {
      "/api/v1/services": {
        get: {
          summary: "List and search services",
          description: "Keyset-paginated. `q` searches names, titles, descriptions and tags; facets filter with AND across facets and OR within one.",
          parameters: queryParameters(serviceQuerySchema),
          responses: { "200": ok("ServicePage"), "400": problemResponse("Invalid query") },
        },
      },
      "/api/v1/services/facets": {
        get: {
          summary: "Facet counts for a catalogue query",
          parameters: queryParameters(serviceQuerySchema),
          responses: { "200": ok("Facets"), "400": problemResponse("Invalid query") },
        },
      },
      "/api/v1/services/{name}": {
        get: {
          summary: "One service with its owner, links, dependencies, dependents and APIs",
          parameters: [nameParameter, { name: "kind", in: "query", schema: { enum: ["component", "api", "resource"] } }],
          responses: { "200": ok("ServiceDetail"), "404": problemResponse("No such service") },
        },
      },
      "/api/v1/teams": {
        get: { summary: "List teams", parameters: queryParameters(teamQuerySchema), responses: { "200": ok("TeamPage") } },
      },
      "/api/v1/teams/{name}": {
        get: {
          summary: "One team with members, services and sub-teams",
          parameters: [nameParameter],
          responses: { "200": ok("TeamDetail"), "404": problemResponse("No such team") },
        },
      },
      "/api/v1/search": {
        get: {
          summary: "Quick switcher: services and teams matching a prefix or substring",
          parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
          responses: { "200": ok("QuickSearchResult") },
        },
      },
      "/api/v1/catalogue/import": {
        post: {
          summary: "Import Backstage descriptors (all or nothing)",
          requestBody: {
            required: true,
            content: { "application/yaml": { schema: { type: "string", description: "One or many `---`-separated backstage.io/v1alpha1 documents" } } },
          },
          responses: {
            "200": ok("ImportResult"),
            "403": problemResponse("Not allowed"),
            "415": problemResponse("Not YAML"),
            "422": {
              description: "At least one document is invalid; nothing was written",
              content: {
                "application/problem+json": {
                  schema: {
                    allOf: [problemRef, { type: "object", properties: { errors: { type: "array", items: { $ref: "#/components/schemas/ImportError" } } } }],
                  },
                },
              },
            },
          },
        },
      },
    },
    schemas: {
      ServicePage: schema(servicePageSchema),
      Facets: schema(facetsSchema),
      ServiceDetail: schema(serviceDetailSchema),
      TeamPage: schema(teamPageSchema),
      TeamDetail: schema(teamDetailSchema),
      QuickSearchResult: schema(quickSearchResultSchema),
      ImportResult: schema(importResultSchema),
      ImportError: schema(importErrorSchema),
    },
  };
}
