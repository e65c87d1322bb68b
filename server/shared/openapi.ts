import "server-only";
import { z } from "zod";

/** Pieces every module's part of the OpenAPI document is built from, so they all say things the same way. */

/** A zod schema as JSON Schema: `input` for what a request sends (before defaults), `output` for what it gets. */
export const jsonSchema = (s: z.ZodType, io: "input" | "output" = "output") =>
  z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;

/** A query schema's fields as optional query parameters. */
export function queryParameters(s: z.ZodObject) {
  const json = jsonSchema(s, "input") as { properties: Record<string, Record<string, unknown>> };
  return Object.entries(json.properties).map(([name, p]) => ({ name, in: "query", required: false, schema: p }));
}

/** The Problem schema (RFC 9457), as a reference. */
export const problemRef = { $ref: "#/components/schemas/Problem" };

/** A problem+json response. */
export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemRef } },
});

/** A path parameter. */
export const pathParameter = (name: string, description?: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  ...(description ? { description } : {}),
});
