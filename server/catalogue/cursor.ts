import "server-only";
import { z } from "zod";
import { BadRequestError } from "../shared/errors";
import { safeText } from "../shared/input";

/** Keyset cursors: the sort key of the last row, opaque to clients. */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** Cursors come back from clients: their values reach SQL, so text is NUL-free and numbers are small integers. */
const cursorValues = z
  .array(z.union([safeText(300), z.number().int().min(-1_000_000).max(1_000_000)]))
  .min(1)
  .max(3);

/** `shape`: what a cursor of this listing's order holds; a cursor of another order is refused like a broken one. */
export function decodeCursor(cursor: string | undefined, shape?: z.ZodType<Array<string | number>>): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    const values = cursorValues.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return shape ? shape.parse(values) : values;
  } catch {
    throw new BadRequestError("The cursor is not valid: pass back the nextCursor of a previous page unchanged.");
  }
}
