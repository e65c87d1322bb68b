import "server-only";
import { badRequest, unprocessable } from "./api-errors";
import { deepClone, deepEqual, isPlainObject } from "./json";

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else (lists included) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? deepClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: string[], op: string, pointer: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const idx = Number(token);
      if (!/^\d+$/.test(token) || idx >= cur.length) throw missing(op, pointer);
      cur = cur[idx];
    } else if (isPlainObject(cur)) {
      if (!(token in cur)) throw missing(op, pointer);
      cur = cur[token];
    } else throw missing(op, pointer);
  }
  if (!Array.isArray(cur) && !isPlainObject(cur)) throw missing(op, pointer);
  return { parent: cur, key: tokens[tokens.length - 1] ?? "" };
}

function missing(op: string, pointer: string): Error {
  return unprocessable(`${op} operation does not apply: doc is missing path: "${pointer}": missing value`);
}

function getAt(doc: unknown, pointer: string, op: string): unknown {
  let cur: unknown = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(token) || Number(token) >= cur.length) throw missing(op, pointer);
      cur = cur[Number(token)];
    } else if (isPlainObject(cur) && token in cur) cur = cur[token];
    else throw missing(op, pointer);
  }
  return cur;
}

function addAt(doc: unknown, pointer: string, value: unknown, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return deepClone(value);
  const { parent, key } = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) {
    const idx = key === "-" ? parent.length : Number(key);
    if (!/^\d+$/.test(key) && key !== "-") throw missing(op, pointer);
    if (idx > parent.length) throw unprocessable(`${op} operation does not apply: index out of bounds: ${pointer}`);
    parent.splice(idx, 0, deepClone(value));
  } else parent[key] = deepClone(value);
  return doc;
}

function removeAt(doc: unknown, pointer: string, op: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable(`${op} operation does not apply: cannot remove the document root`);
  const { parent, key } = parentOf(doc, tokens, op, pointer);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!/^\d+$/.test(key) || idx >= parent.length) throw missing(op, pointer);
    parent.splice(idx, 1);
  } else {
    if (!(key in parent)) throw missing(op, pointer);
    delete parent[key];
  }
  return doc;
}

/** RFC 6902 JSON patch. Failures are 422 as the apiserver answers them; a malformed patch is 400. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = deepClone(target);
  for (const raw of patch) {
    if (!isPlainObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw badRequest("the server rejected our request due to an error in our request: invalid JSON patch operation");
    }
    const op = raw as unknown as JsonPatchOp;
    switch (op.op) {
      case "add":
        doc = addAt(doc, op.path, op.value, "add");
        break;
      case "remove":
        doc = removeAt(doc, op.path, "remove");
        break;
      case "replace":
        getAt(doc, op.path, "replace");
        doc = op.path === "" ? deepClone(op.value) : addAt(removeAt(doc, op.path, "replace"), op.path, op.value, "replace");
        break;
      case "move": {
        const value = getAt(doc, op.from ?? "", "move");
        doc = addAt(removeAt(doc, op.from ?? "", "move"), op.path, value, "move");
        break;
      }
      case "copy":
        doc = addAt(doc, op.path, getAt(doc, op.from ?? "", "copy"), "copy");
        break;
      case "test": {
        let actual: unknown;
        try {
          actual = getAt(doc, op.path, "test");
        } catch {
          throw unprocessable(`testing value ${op.path} failed: test failed`);
        }
        if (!deepEqual(actual, op.value)) throw unprocessable(`testing value ${op.path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
