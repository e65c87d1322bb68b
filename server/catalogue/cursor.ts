import "server-only";
import { z } from "zod";
import { BadRequestError } from "../shared/errors";

/** Keyset cursors: the sort key of the last row, opaque to clients. */
export function encodeCursor(values: Array<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

const cursorValues = z.array(z.union([z.string().max(300), z.number()])).min(1).max(3);

export function decodeCursor(cursor: string | undefined): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    return cursorValues.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new BadRequestError("The cursor is not valid: pass back the nextCursor of a previous page unchanged.");
  }
}
