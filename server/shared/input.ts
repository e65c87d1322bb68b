import "server-only";
import { z } from "zod";
import { NotFoundError } from "./errors";

/*
 * Zod building blocks for everything a request carries (query strings, bodies, path params, cursors). Postgres
 * refuses NUL in text, a lone surrogate has no UTF-8 form, and integers and dates have ranges: a value that passes
 * a plain z.string() or z.number() can still fail the query, and that failure would surface as a 500, not a 400.
 */

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const controlCharacter = /[\u0000-\u001F\u007F]/;
/** Multi-line text keeps tab, line feed and carriage return. */
const controlCharacterButWhitespace = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function isSafeText(value: string, options: { multiline?: boolean } = {}): boolean {
  return !loneSurrogate.test(value) && !(options.multiline ? controlCharacterButWhitespace : controlCharacter).test(value);
}

const unsafeTextMessage = "must not contain control characters (such as NUL) or unpaired surrogates";

/** One line of text (a name, a search, a filter value): no control characters, no lone surrogates. */
export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => isSafeText(v), unsafeTextMessage);
}

/** Free text that may span lines (a reason, a comment, a changelog). */
export function safeMultilineText(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => isSafeText(v, { multiline: true }), unsafeTextMessage);
}

/** An ISO 8601 date-time with offset that is also a real instant Postgres can store (years 1 to 9999 in UTC). */
export function safeDateTime() {
  return z.iso.datetime({ offset: true }).refine((v) => isStorableInstant(v), "must be a date-time between the years 1 and 9999");
}

export function isStorableInstant(value: string): boolean {
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

const maxBigint = 9_223_372_036_854_775_807n;

/** A positive integer carried as decimal text that fits a Postgres bigint (an audit seq, say). */
export function bigintText(message: string) {
  // One check, not regex then refine: zod runs every check, so BigInt() would see text the regex refused.
  return z.string().refine((v) => /^\d{1,19}$/.test(v) && BigInt(v) <= maxBigint, message);
}

/** A catalogue name in a path: anything else names nothing, so it is a 404 without asking the database. */
export const entityNameParam = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/);

export const dnsLabelParam = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);

/** Checks a path param before it reaches the database: a malformed one is a 404, as no entity could have it. */
export function pathParam(value: string, schema: z.ZodType<string>, notFound: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NotFoundError(notFound);
  return parsed.data;
}
