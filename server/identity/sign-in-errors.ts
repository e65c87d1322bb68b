import "server-only";
import { AppError } from "../shared/errors";

/**
 * Why a sign-in did not complete, as the codes the sign-in page accepts in `?error=`. The page shows only these
 * messages, never text from the URL, so a crafted link cannot put words in Slipway's mouth.
 */
export const signInErrorMessages = {
  failed: "Sign-in failed. Try again.",
  provider_refused: "The identity provider refused the sign-in. Try again, or ask your administrator for access.",
  provider_failed: "The identity provider could not confirm who you are. Try again.",
  not_started_here: "This sign-in was not started in this browser. Start again.",
  expired: "This sign-in has expired. Start again.",
  no_email: "The identity provider did not share an email address, which Slipway needs to find you in the catalogue.",
  email_unverified: "The identity provider has not verified your email address, so Slipway cannot link it to you. Verify it there, then sign in again.",
  sso_unavailable: "Single sign-on is not configured here.",
  demo_unavailable: "Demo sign-in is not available here.",
  unknown_person: "There is no such person to sign in as.",
  choose_person: "Choose a person to sign in as.",
  cross_site: "Sign in from Slipway's own page.",
  rate_limited: "Too many sign-in attempts. Wait a minute and try again.",
} as const;

export type SignInErrorCode = keyof typeof signInErrorMessages;

const titles: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" };

/** A typed error carrying its sign-in code (as the problem's `signInError` member), with the code's own message. */
export function signInError(status: 400 | 401 | 403 | 404, code: SignInErrorCode): AppError {
  return new AppError(status, titles[status]!, signInErrorMessages[code], { signInError: code });
}

const isCode = (value: unknown): value is SignInErrorCode => typeof value === "string" && Object.hasOwn(signInErrorMessages, value);

/** The code for a thrown error or a problem+json body, recognised by shape; anything else is plain "failed". */
export function signInErrorCode(error: unknown): SignInErrorCode {
  if (typeof error !== "object" || error === null) return "failed";
  const shape = error as { status?: unknown; signInError?: unknown; extensions?: { signInError?: unknown } };
  const code = shape.signInError ?? shape.extensions?.signInError;
  if (isCode(code)) return code;
  return shape.status === 429 ? "rate_limited" : "failed";
}

/** The message for `?error=<code>`: none without a code, a generic one for a code Slipway does not know. */
export function signInErrorMessage(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return isCode(code) ? signInErrorMessages[code] : signInErrorMessages.failed;
}
