import "server-only";
import * as oidc from "openid-client";
import type { OidcConfig } from "../shared/config";
import { logger } from "../shared/logger";
import { signInError } from "./sign-in-errors";

let discovered: { key: string; config: Promise<oidc.Configuration> } | undefined;

function isLoopback(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
}

/** The provider's metadata, discovered once per process (and again after a failure). */
export function providerConfiguration(settings: OidcConfig): Promise<oidc.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  if (discovered?.key !== key) {
    const issuer = new URL(settings.issuer);
    const config = oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        // Plain http is accepted only for a provider on this machine (tests, local development).
        ...(issuer.protocol === "http:" && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    discovered = { key, config };
  }
  return discovered.config;
}

export type SignInStart = { url: string; state: string; codeVerifier: string; nonce: string };

export async function startSignIn(settings: OidcConfig, redirectUri: string): Promise<SignInStart> {
  const config = await providerConfiguration(settings);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, state, codeVerifier, nonce };
}

export type VerifiedIdentity = { subject: string; email: string; name: string | undefined; groups: string[] };

export async function finishSignIn(
  settings: OidcConfig,
  callbackUrl: URL,
  checks: { state: string; codeVerifier: string; nonce: string },
): Promise<VerifiedIdentity> {
  const config = await providerConfiguration(settings);
  let claims: oidc.IDToken | undefined;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    // The provider's own words go to the log for the operator; the person sees Slipway's message.
    logger().warn({ err: error }, "the identity provider did not complete the sign-in");
    throw signInError(401, "provider_failed");
  }
  return identityFromClaims(claims, settings.groupsClaim);
}

/**
 * Maps ID token claims to who signed in. The email links the identity to a catalogue person (and their squads and
 * approvals), so an address the provider has not verified is refused: anyone can type someone else's into an account.
 */
export function identityFromClaims(claims: oidc.IDToken | undefined, groupsClaim: string): VerifiedIdentity {
  if (!claims) throw signInError(401, "provider_failed");
  const email = typeof claims.email === "string" ? claims.email.toLowerCase() : undefined;
  if (!email) throw signInError(401, "no_email");
  if (claims.email_verified !== true) throw signInError(401, "email_unverified");
  const rawGroups = claims[groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === "string") : [];
  return { subject: claims.sub, email, name: typeof claims.name === "string" ? claims.name : undefined, groups };
}
