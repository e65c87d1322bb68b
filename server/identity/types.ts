import "server-only";
import { z } from "zod";
import { safeText } from "../shared/input";

export * from "./contract";
import type { Role, TokenScope } from "./contract";
import { tokenScopes } from "./contract";

export type PersonIdentity = {
  id: string;
  name: string;
  displayName: string | null;
  email: string | null;
  roles: Role[];
  /** Squads the person belongs to, from the catalogue. */
  teams: string[];
  approverTeams: string[];
  approverTiers: number[];
};

export type Principal =
  | { kind: "session"; person: PersonIdentity; sessionId: string; csrfToken: string; method: string }
  | {
      kind: "token";
      tokenId: string;
      tokenName: string;
      scopes: TokenScope[];
      /** A person's token acts with that person's rights, narrowed by its scopes. */
      person?: PersonIdentity;
      /** A squad's token acts as an engineer of that squad, narrowed by its scopes. */
      team?: { id: string; name: string };
    };

export const createTokenSchema = z.object({
  name: safeText(100).trim().min(1),
  scopes: z.array(z.enum(tokenScopes)).min(1).max(tokenScopes.length),
  expiresInDays: z.number().int().min(1).max(366).default(90),
  team: safeText(63).optional().describe("create the token for a squad instead of yourself (admins only)"),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;
