import "server-only";
import { createHash } from "node:crypto";
import { LineCounter, parseAllDocuments, isNode, type Document } from "yaml";
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

export function parseDescriptors(text: string): { descriptors: ParsedDescriptor[]; errors: ImportError[]; count: number } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const errors: ImportError[] = [];
  const descriptors: ParsedDescriptor[] = [];
  const docs = Array.isArray(documents) ? documents : [];
  if (docs.length > maxDocuments) {
    return { descriptors, count: docs.length, errors: [{ document: maxDocuments + 1, line: 1, message: `at most ${maxDocuments} documents per import` }] };
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
        errors.push({ document, line: e.linePos?.[0]?.line ?? startLine, message: `YAML: ${e.message.split("\n")[0]}` });
      }
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
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
    const hash = createHash("sha256").update(JSON.stringify(canonical(value))).digest("hex");
    descriptors.push({ document, line: startLine, descriptor: parsed.data, hash, lineOf });
  });
  return { descriptors, errors, count: docs.length };
}
