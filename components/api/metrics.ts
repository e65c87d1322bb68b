import { z } from "zod";
import { panelErrorSchema, panelSchema } from "@/server/metrics/contract";
import { deployMarkerSchema } from "@/server/releases/contract";

/**
 * What GET /api/v1/services/{name}/metrics answers: the panels, the deploy markers over them and whether a source is
 * configured. The route composes it from two modules, so its schema lives beside the client that parses it.
 */
export const metricsViewSchema = z.object({
  service: z.string(),
  environment: z.string(),
  /** The aligned range queried, epoch milliseconds. */
  from: z.number(),
  to: z.number(),
  /** Seconds between points, the same for every panel. */
  step: z.number(),
  panels: z.array(panelSchema),
  markers: z.array(deployMarkerSchema),
  errors: z.array(panelErrorSchema),
  source: z.object({ configured: z.boolean(), demo: z.boolean() }),
});
