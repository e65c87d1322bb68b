import type { ApiTokenView, TokenScope } from "@/server/identity/contract";

export type ApiTokenStatus = "active" | "expired" | "revoked";

export function apiTokenStatus(token: Pick<ApiTokenView, "revokedAt" | "expiresAt">, now: number): ApiTokenStatus {
  if (token.revokedAt) return "revoked";
  return new Date(token.expiresAt).getTime() <= now ? "expired" : "active";
}

/** Active tokens first, newest first within each group: the ones that still matter lead. */
export function sortApiTokens(tokens: ApiTokenView[], now: number): ApiTokenView[] {
  const rank = (t: ApiTokenView) => (apiTokenStatus(t, now) === "active" ? 0 : 1);
  return [...tokens].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
}

export const scopeDescriptions: Record<TokenScope, string> = {
  read: "Read the catalogue, releases and the audit trail.",
  "catalogue:write": "Import catalogue descriptors and edit the services your squads own.",
  "releases:write": "Request and operate rollouts for your squads' services. Never approves production.",
};

export const expiryChoices = [30, 90, 180, 366] as const;

/** Tokens this close to expiry are flagged, so someone rotates them before a pipeline breaks. */
export const expiryWarningDays = 14;

export function daysLeftLabel(days: number): string {
  if (days < 1) return "less than a day left";
  const whole = Math.round(days);
  return whole === 1 ? "1 day left" : `${whole} days left`;
}
