import { z } from "zod";

/** What the browser may import about identity: roles, token scopes and the API tokens' shapes. */

export const roles = ["viewer", "engineer", "approver", "admin"] as const;
export type Role = (typeof roles)[number];

export const tokenScopes = ["read", "catalogue:write", "releases:write"] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  owner: z.object({ kind: z.enum(["person", "team"]), name: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof apiTokenSchema>;

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });

/** A new token: the secret is shown once, here, and never again. */
export const createdApiTokenSchema = z.object({ id: z.string(), token: z.string(), prefix: z.string(), expiresAt: z.string() });
export type NewApiToken = z.infer<typeof createdApiTokenSchema>;

/** false when the token had already been revoked. */
export const revokedApiTokenSchema = z.object({ revoked: z.boolean() });
