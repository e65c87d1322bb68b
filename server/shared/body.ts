import "server-only";
import { AppError, BadRequestError, UnsupportedMediaTypeError } from "./errors";

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, "Content Too Large", `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
}

/** The limit for JSON and form bodies (imports have their own, larger one). */
export const maxRequestBodyBytes = 1024 * 1024;

/** Reads a text body of one of the given media types, refusing more than maxBytes without buffering it all. */
export async function readTextBody(request: Request, options: { types: string[]; maxBytes: number }): Promise<string> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!options.types.includes(type)) {
    throw new UnsupportedMediaTypeError(`Send the body as ${options.types[0]} (got ${type || "no Content-Type"}).`);
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > options.maxBytes) throw new PayloadTooLargeError(options.maxBytes);
  if (!request.body) throw new BadRequestError("The request has no body.");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > options.maxBytes) {
      await reader.cancel();
      throw new PayloadTooLargeError(options.maxBytes);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError("The body is not valid UTF-8.");
  }
}
