import "server-only";
import { z } from "zod";
import { safeDateTime } from "../shared/input";

const environment = z
  .string()
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "an environment name")
  .max(63);

/** The Metrics API's query string: a service's panels in one environment and range, never a query language. */
export const metricsQuerySchema = z.object({
  environment,
  from: safeDateTime().optional().describe("start of the range (ISO 8601); default: an hour before `to`"),
  to: safeDateTime().optional().describe("end of the range (ISO 8601); default: now"),
  width: z.coerce.number().int().min(300).max(3000).default(1000).describe("the panel's width in pixels: one point per pixel at most"),
});

export const alertsQuerySchema = z.object({ environment });
