import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { ValidationError } from "../shared/errors";
import type { SortValue } from "./es-schemas";

/**
 * The Logs tab's paging cursor: base64url JSON with the point in time, the last hit's sort values and a digest of
 * the query it belongs to. Opaque to the browser and validated on the way back; it grants nothing, since every
 * filter is rebuilt from the request and the catalogue.
 */

const cursorSchema = z
  .object({
    v: z.literal(1),
    /** Point in time id, or null when the store's PIT expired and paging goes on without one. */
    p: z.string().min(1).max(4096).nullable(),
    a: z
      .array(z.union([z.number(), z.string().max(1024), z.boolean(), z.null()]))
      .min(1)
      .max(4),
    k: z.string().regex(/^[A-Za-z0-9_-]{16}$/),
  })
  .strict();

export type PageCursor = { pit: string | null; after: SortValue[]; key: string };

export function queryKey(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, p: cursor.pit, a: cursor.after, k: cursor.key })).toString("base64url");
}

export function decodeCursor(text: string, expectedKey: string): PageCursor {
  if (!/^[A-Za-z0-9_-]{1,8192}$/.test(text)) throw new ValidationError("The cursor is not one Slipway issued");
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw new ValidationError("The cursor is not one Slipway issued");
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError("The cursor is not one Slipway issued");
  if (parsed.data.k !== expectedKey) throw new ValidationError("The cursor belongs to another query: start from the first page");
  return { pit: parsed.data.p, after: parsed.data.a, key: parsed.data.k };
}
