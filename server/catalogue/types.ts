import "server-only";
import { z } from "zod";
import { safeText } from "../shared/input";
import { entityName, serviceKinds, serviceSortSchema } from "./contract";

/** The catalogue's shapes are declared in contract.ts (the browser imports them); its queries' parsing is here. */
export * from "./contract";

const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v : [v])
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean),
  );

export const serviceQuerySchema = z.object({
  q: z
    .string()
    .max(200, "Search text is limited to 200 characters.")
    .pipe(safeText(200))
    .optional()
    .transform((v) => v?.trim() || undefined),
  kind: z.enum(serviceKinds).default("component"),
  team: many.pipe(z.array(entityName).max(50)),
  tier: many.pipe(
    z
      .array(z.string().regex(/^(none|\d)$/, 'tier is a digit or "none"'))
      .max(10)
      .transform((tiers) => tiers.map((t) => (t === "none" ? ("none" as const) : Number(t)))),
  ),
  lifecycle: many.pipe(z.array(safeText(50)).max(20)),
  tag: many.pipe(z.array(safeText(100)).max(20)),
  sort: serviceSortSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: safeText(500).optional(),
});
export type ServiceQuery = z.infer<typeof serviceQuerySchema>;
export type ServiceQueryInput = z.input<typeof serviceQuerySchema>;

export const teamQuerySchema = z.object({
  q: safeText(200)
    .optional()
    .transform((v) => v?.trim() || undefined),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: safeText(500).optional(),
});
export type TeamQuery = z.infer<typeof teamQuerySchema>;
