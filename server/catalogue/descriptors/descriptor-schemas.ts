import "server-only";
import { z } from "zod";
import { dns1123Label, entityName } from "../types";

const link = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  title: z.string().max(200).optional(),
  icon: z.string().max(50).optional(),
  type: z.string().max(50).optional(),
});

const metadata = (name: z.ZodType<string>) =>
  z.object({
    name,
    namespace: z.string().max(63).optional(),
    title: z.string().max(200).optional(),
    description: z.string().max(5000).optional(),
    labels: z.record(z.string(), z.string().max(300)).optional(),
    annotations: z.record(z.string(), z.string().max(5000)).optional(),
    tags: z
      .array(
        z
          .string()
          .min(1)
          .max(63)
          .regex(/^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/, "tags are lowercase words joined by '-'"),
      )
      // A service's tags are kept in the catalogue's covering indexes, whose entries hold at most 2,704 bytes.
      .max(20, "at most 20 tags")
      // A tag is on a service or not: a repeated one is kept once, where it first appears.
      .transform((tags) => [...new Set(tags)])
      .optional(),
    links: z.array(link).max(50).optional(),
  });

const refs = z.array(z.string().min(1).max(300)).max(500);
const apiVersion = z.enum(["backstage.io/v1alpha1", "backstage.io/v1beta1"], {
  error: "apiVersion must be backstage.io/v1alpha1",
});

const profile = z.object({ displayName: z.string().max(200).optional(), email: z.email().optional(), picture: z.url().optional() }).optional();

export const componentDescriptor = z.object({
  apiVersion,
  kind: z.literal("Component"),
  metadata: metadata(dns1123Label),
  spec: z.object({
    type: z.string().min(1).max(63),
    lifecycle: z.string().min(1).max(63),
    owner: z.string().min(1).max(300),
    system: z.string().max(300).optional(),
    subcomponentOf: z.string().max(300).optional(),
    providesApis: refs.optional(),
    consumesApis: refs.optional(),
    dependsOn: refs.optional(),
  }),
});

export const apiDescriptor = z.object({
  apiVersion,
  kind: z.literal("API"),
  metadata: metadata(dns1123Label),
  spec: z.object({
    type: z.string().min(1).max(63),
    lifecycle: z.string().min(1).max(63),
    owner: z.string().min(1).max(300),
    system: z.string().max(300).optional(),
    definition: z.union([z.string().max(1_000_000), z.record(z.string(), z.unknown())]),
  }),
});

export const resourceDescriptor = z.object({
  apiVersion,
  kind: z.literal("Resource"),
  metadata: metadata(dns1123Label),
  spec: z.object({
    type: z.string().min(1).max(63),
    owner: z.string().min(1).max(300),
    system: z.string().max(300).optional(),
    dependsOn: refs.optional(),
  }),
});

export const systemDescriptor = z.object({
  apiVersion,
  kind: z.literal("System"),
  metadata: metadata(entityName),
  spec: z.object({ owner: z.string().min(1).max(300), domain: z.string().max(300).optional() }),
});

export const domainDescriptor = z.object({
  apiVersion,
  kind: z.literal("Domain"),
  metadata: metadata(entityName),
  spec: z.object({ owner: z.string().min(1).max(300), subdomainOf: z.string().max(300).optional() }),
});

export const groupDescriptor = z.object({
  apiVersion,
  kind: z.literal("Group"),
  metadata: metadata(entityName),
  spec: z.object({
    type: z.string().min(1).max(63),
    profile,
    parent: z.string().max(300).optional(),
    children: refs,
    members: refs.optional(),
  }),
});

export const userDescriptor = z.object({
  apiVersion,
  kind: z.literal("User"),
  metadata: metadata(entityName),
  spec: z.object({ profile, memberOf: refs.optional() }).default({}),
});

export const descriptorKinds = ["Component", "API", "Resource", "System", "Domain", "Group", "User"] as const;

export const descriptorSchema = z.discriminatedUnion("kind", [
  componentDescriptor,
  apiDescriptor,
  resourceDescriptor,
  systemDescriptor,
  domainDescriptor,
  groupDescriptor,
  userDescriptor,
]);
export type Descriptor = z.infer<typeof descriptorSchema>;
