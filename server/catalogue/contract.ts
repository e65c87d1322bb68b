import { z } from "zod";

/** What the browser may import about the catalogue: the shapes its API answers, and the names it accepts. */

/** DNS-1123 label: what Kubernetes accepts as a name, so a service name can also name its workloads. */
export const dns1123Label = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter");

/** Backstage's rule for entity names (people and groups may use '.' and '_'). */
export const entityName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/, "must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");

export const serviceKinds = ["component", "api", "resource"] as const;
export type ServiceKind = (typeof serviceKinds)[number];

export const dependencyRelations = ["dependsOn", "providesApi", "consumesApi"] as const;
export type DependencyRelation = (typeof dependencyRelations)[number];

export const linkSchema = z.object({
  url: z.url(),
  title: z.string().max(200).optional(),
  icon: z.string().max(50).optional(),
  type: z.string().max(50).optional(),
});
export type Link = z.infer<typeof linkSchema>;

export const serviceSummarySchema = z.object({
  name: z.string(),
  kind: z.enum(serviceKinds),
  title: z.string().nullable(),
  description: z.string().nullable(),
  type: z.string(),
  team: z.string().nullable(),
  tier: z.number().int().nullable(),
  lifecycle: z.string(),
  tags: z.array(z.string()),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

export const serviceSortSchema = z.enum(["relevance", "name", "-name", "updated", "tier"]);
export type ServiceSort = z.infer<typeof serviceSortSchema>;

export const servicePageSchema = z.object({
  items: z.array(serviceSummarySchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  totalIsLowerBound: z.boolean().describe("true when more matched than were counted (the count stops at 10,000; for a search, at 500)"),
});
export type ServicePage = z.infer<typeof servicePageSchema>;

export const facetValueSchema = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export type FacetValue = z.infer<typeof facetValueSchema>;
export const facetsSchema = z.object({
  team: z.array(facetValueSchema),
  tier: z.array(facetValueSchema),
  lifecycle: z.array(facetValueSchema),
  tag: z.array(facetValueSchema),
  countsAreLowerBounds: z.boolean(),
});
export type Facets = z.infer<typeof facetsSchema>;

export const entityRefSchema = z.object({
  kind: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable().optional(),
  team: z.string().nullable().optional(),
  tier: z.number().int().nullable().optional(),
  lifecycle: z.string().nullable().optional(),
  /** false when the descriptor names an entity the catalogue does not (yet) hold. */
  exists: z.boolean(),
});
export type EntityRef = z.infer<typeof entityRefSchema>;

export const teamContactSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  chatChannel: z.string().nullable(),
});

export const serviceDetailSchema = serviceSummarySchema.extend({
  team: teamContactSchema.nullable(),
  system: z.string().nullable(),
  repositoryUrl: z.string().nullable(),
  links: z.array(linkSchema),
  annotations: z.record(z.string(), z.string()),
  definition: z.string().nullable(),
  dependsOn: z.array(entityRefSchema),
  dependents: z.array(entityRefSchema),
  apis: z.object({ provides: z.array(entityRefSchema), consumes: z.array(entityRefSchema) }),
  /** For an API: the components that provide and consume it. */
  providers: z.array(entityRefSchema),
  consumers: z.array(entityRefSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServiceDetail = z.infer<typeof serviceDetailSchema>;

export const teamSummarySchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  type: z.string(),
  parent: z.string().nullable(),
  memberCount: z.number().int(),
  serviceCount: z.number().int(),
});
export type TeamSummary = z.infer<typeof teamSummarySchema>;

export const teamPageSchema = z.object({ items: z.array(teamSummarySchema), nextCursor: z.string().nullable() });
export type TeamPage = z.infer<typeof teamPageSchema>;

export const memberSchema = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string(),
});

export const teamDetailSchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  type: z.string(),
  email: z.string().nullable(),
  chatChannel: z.string().nullable(),
  links: z.array(linkSchema),
  parent: z.object({ name: z.string(), title: z.string().nullable() }).nullable(),
  ancestors: z.array(z.object({ name: z.string(), title: z.string().nullable() })),
  children: z.array(z.object({ name: z.string(), title: z.string().nullable(), type: z.string() })),
  members: z.array(memberSchema),
  services: z.array(serviceSummarySchema),
});
export type TeamDetail = z.infer<typeof teamDetailSchema>;

export const quickSearchResultSchema = z.object({
  services: z.array(z.object({ name: z.string(), kind: z.enum(serviceKinds), title: z.string().nullable(), team: z.string().nullable() })),
  teams: z.array(z.object({ name: z.string(), title: z.string().nullable(), type: z.string() })),
});
export type QuickSearchResult = z.infer<typeof quickSearchResultSchema>;

export const importResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const importErrorSchema = z.object({ document: z.number().int(), line: z.number().int(), message: z.string() });
export type ImportError = z.infer<typeof importErrorSchema>;
