import "server-only";
import { AppError, BadRequestError, UnsupportedMediaTypeError } from "./errors";

export class PayloadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, "Content Too Large", `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  }
}

export class TooDeeplyNestedError extends AppError {
  constructor(maxDepth: number) {
    super(422, "Unprocessable Content", `The body nests more than ${maxDepth} levels deep.`);
  }
}

/** How deep a JSON or YAML body may nest: Backstage descriptors and Slipway's own bodies nest a handful of levels. */
export const maxNestingDepth = 64;

const jsonTypes = ["application/json"];
const yamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

/** Whether JSON text nests deeper than `max` (brackets outside strings): one pass, before any parser sees it. */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/**
 * Whether YAML text nests deeper than `max`, counting block nesting (indentation, "- " entries) and flow brackets
 * outside quotes and comments. An estimate that errs towards counting more, in one pass: the yaml parser spends
 * seconds on a few megabytes of brackets (measured: 17 s for a million), and this check costs milliseconds.
 */
export function yamlNestsDeeperThan(text: string, max: number): boolean {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = text.indexOf("\n", lineStart);
    if (end === -1) end = text.length;
    let i = lineStart;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    if (indent === 0 && (text.startsWith("---", i) || text.startsWith("...", i))) {
      // A new document: whatever an earlier one left open does not carry over.
      indents.length = 0;
      flow = 0;
    } else if (i < end && text[i] !== "#" && text[i] !== "\r") {
      while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      let entries = 0;
      while (i + 1 < end && (text[i] === "-" || text[i] === "?") && text[i + 1] === " ") {
        entries++;
        i += 2;
        while (i < end && text.charCodeAt(i) === 32) i++;
      }
      if (indents.length + entries + flow > max) return true;
      // Quotes end with the line here: a quoted scalar spanning lines is rare, and reading on only counts more.
      let quote = "";
      for (; i < end; i++) {
        const c = text[i]!;
        if (quote) {
          if (quote === '"' && c === "\\") i++;
          else if (c === quote) quote = "";
          continue;
        }
        const before = i === lineStart ? " " : text[i - 1]!;
        const boundary = before === " " || before === "\t" || before === "[" || before === "{" || before === "," || before === ":";
        if ((c === '"' || c === "'") && boundary) quote = c;
        else if (c === "#" && (before === " " || before === "\t")) break;
        else if (c === "[" || c === "{") {
          if (indents.length + entries + ++flow > max) return true;
        } else if ((c === "]" || c === "}") && flow > 0) flow--;
      }
    }
    lineStart = end + 1;
  }
  return false;
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
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BadRequestError("The body is not valid UTF-8.");
  }
  // Deep nesting costs parsers (and whatever walks the result) far more than its size suggests: refused unread.
  if (jsonTypes.includes(type) && jsonNestsDeeperThan(text, maxNestingDepth)) throw new TooDeeplyNestedError(maxNestingDepth);
  if (yamlTypes.includes(type) && yamlNestsDeeperThan(text, maxNestingDepth)) throw new TooDeeplyNestedError(maxNestingDepth);
  return text;
}
