import "server-only";
import { createHash } from "node:crypto";
import { Composer, LineCounter, Parser, isNode, type Document } from "yaml";
import { isSafeText } from "../../shared/input";
import type { ImportError } from "../types";
import { descriptorKinds, descriptorSchema, type Descriptor } from "./descriptor-schemas";

export type ParsedDescriptor = {
  /** 1-based position of the document in the input. */
  document: number;
  line: number;
  descriptor: Descriptor;
  /** sha-256 of the document's canonical JSON: equal hashes mean nothing changed. */
  hash: string;
  /** The line of a path inside the document, for errors found after parsing. */
  lineOf(path: Array<string | number>): number;
};

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export const maxDocuments = 20_000;
/**
 * Aliases a document may expand (the yaml package weighs each by the size of what it repeats): enough for anchors
 * shared between a few fields, far too few for a "billion laughs" document that would expand into gigabytes.
 */
export const maxAliasCount = 100;

/** The first string (key or value) in a descriptor that Postgres could not store, as its path. */
function unsafeTextPath(value: unknown, path: Array<string | number> = []): Array<string | number> | undefined {
  if (typeof value === "string") return isSafeText(value, { multiline: true }) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeTextPath(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (!isSafeText(key, { multiline: true })) return [...path, key];
      const found = unsafeTextPath(inner, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Composes documents one at a time, so a stream of millions of tiny documents stops at the limit. */
function composeDocuments(text: string, lineCounter: LineCounter): { docs: Document.Parsed[]; tooMany: boolean } {
  const composer = new Composer({ uniqueKeys: true });
  const docs: Document.Parsed[] = [];
  for (const doc of composer.compose(new Parser(lineCounter.addNewLine).parse(text))) {
    if (docs.length === maxDocuments) return { docs, tooMany: true };
    docs.push(doc);
  }
  return { docs, tooMany: false };
}

export function parseDescriptors(text: string): { descriptors: ParsedDescriptor[]; errors: ImportError[]; count: number } {
  const lineCounter = new LineCounter();
  const { docs, tooMany } = composeDocuments(text, lineCounter);
  const errors: ImportError[] = [];
  const descriptors: ParsedDescriptor[] = [];
  if (tooMany) {
    return { descriptors, count: maxDocuments + 1, errors: [{ document: maxDocuments + 1, line: 1, message: `at most ${maxDocuments} documents per import` }] };
  }

  docs.forEach((doc: Document.Parsed, index) => {
    const document = index + 1;
    const startLine = lineCounter.linePos(doc.range[0]).line;
    const lineOf = (path: Array<string | number>): number => {
      for (let depth = path.length; depth > 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return startLine;
    };
    if (doc.errors.length) {
      for (const e of doc.errors) {
        errors.push({ document, line: lineCounter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split("\n")[0]}` });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch {
      errors.push({ document, line: startLine, message: `YAML: aliases expand too far (at most ${maxAliasCount} alias expansions per document)` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document between separators
    if (typeof value !== "object" || Array.isArray(value)) {
      errors.push({ document, line: startLine, message: "a descriptor must be a mapping with apiVersion, kind, metadata and spec" });
      return;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind !== "string" || !(descriptorKinds as readonly string[]).includes(kind)) {
      errors.push({
        document,
        line: lineOf(["kind"]),
        message: `kind must be one of ${descriptorKinds.join(", ")}${typeof kind === "string" ? `, not "${kind}"` : ""}`,
      });
      return;
    }
    const parsed = descriptorSchema.safeParse(value, {
      error: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "is required" : undefined),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
        errors.push({ document, line: lineOf(path), message: `${path.join(".") || "(document)"}: ${issue.message}` });
      }
      return;
    }
    const unsafe = unsafeTextPath(value);
    if (unsafe) {
      errors.push({ document, line: lineOf(unsafe), message: `${unsafe.join(".")}: must not contain control characters (such as NUL) or unpaired surrogates` });
      return;
    }
    const hash = createHash("sha256")
      .update(JSON.stringify(canonical(value)))
      .digest("hex");
    descriptors.push({ document, line: startLine, descriptor: parsed.data, hash, lineOf });
  });
  return { descriptors, errors, count: docs.length };
}
