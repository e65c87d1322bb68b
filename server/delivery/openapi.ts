import "server-only";
import { pathParameter, problemResponse, queryParameters } from "../shared/openapi";
import { deliveryQuerySchema } from "./contract";

const band = { type: ["string", "null"], enum: ["elite", "high", "medium", "low", null] };
const ms = { type: ["number", "null"], description: "milliseconds" };

/** The delivery figures' part of the OpenAPI document. */
export function deliveryOpenApi() {
  const figures = {
    description: "DORA's four keys over the window, each with its performance band, and a weekly trend",
    content: { "application/json": { schema: { $ref: "#/components/schemas/DeliveryFigures" } } },
  };
  const responses = (what: string) => ({
    "200": figures,
    "400": problemResponse("days is not 30 or 90"),
    "401": problemResponse("Not signed in, or a bad token"),
    "404": problemResponse(`No such ${what}`),
  });
  return {
    paths: {
      "/api/v1/teams/{name}/delivery": {
        get: {
          summary: "Delivery figures of a squad (with the teams below it): deployment frequency, lead time, change failure rate, time to restore",
          parameters: [pathParameter("name"), ...queryParameters(deliveryQuerySchema)],
          responses: responses("team"),
        },
      },
      "/api/v1/services/{name}/delivery": {
        get: {
          summary: "Delivery figures of a service: deployment frequency, lead time, change failure rate, time to restore",
          parameters: [pathParameter("name"), ...queryParameters(deliveryQuerySchema)],
          responses: responses("service"),
        },
      },
    },
    schemas: {
      DeliveryFigures: {
        type: "object",
        properties: {
          scope: { type: "object", properties: { kind: { enum: ["team", "service"] }, name: { type: "string" }, services: { type: "integer" } } },
          days: { enum: [30, 90] },
          since: { type: "string", format: "date-time" },
          until: { type: "string", format: "date-time" },
          productionEnvironments: { type: "array", items: { type: "string" } },
          deploymentFrequency: {
            type: "object",
            properties: { deploys: { type: "integer" }, perDay: { type: "number" }, perWeek: { type: "number" }, band },
          },
          leadTime: {
            type: "object",
            properties: { medianMs: ms, measured: { type: "integer" }, withoutCommitTime: { type: "integer" }, band },
          },
          changeFailureRate: {
            type: "object",
            properties: { failures: { type: "integer" }, deploys: { type: "integer" }, rate: { type: ["number", "null"] }, band },
          },
          timeToRestore: {
            type: "object",
            properties: { medianMs: ms, restored: { type: "integer" }, unrestored: { type: "integer" }, band },
          },
          weeks: {
            type: "array",
            items: {
              type: "object",
              properties: {
                week: { type: "string", format: "date-time" },
                deploys: { type: "integer" },
                failures: { type: "integer" },
                leadTimeMedianMs: ms,
                restoreMedianMs: ms,
              },
            },
          },
        },
      },
    },
  };
}
