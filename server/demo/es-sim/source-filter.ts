import "server-only";
import { escapeRegExp } from "./mapping";

/** `_source` includes/excludes as ES applies them: dotted paths with `*` wildcards, whole objects by their path. */

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function filterSource(source: Record<string, unknown>, includes: string[], excludes: string[]): Record<string, unknown> {
  const inc = includes.map((p) => ({ p, re: glob(p) }));
  const exc = excludes.map(glob);
  const mayContain = (path: string) => inc.some(({ p, re }) => p.startsWith(`${path}.`) || (p.includes("*") && re.test(`${path}.x`)) || p === "*");

  const walk = (obj: Record<string, unknown>, prefix: string, included: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (exc.some((re) => re.test(path))) continue;
      const here = included || inc.length === 0 || inc.some(({ re }) => re.test(path));
      const mapValue = (v: unknown): unknown => (isObject(v) ? walk(v, path, here) : v);
      if (here) {
        out[key] = Array.isArray(value) ? value.map(mapValue) : mapValue(value);
      } else if (mayContain(path)) {
        if (isObject(value)) {
          const child = walk(value, path, false);
          if (Object.keys(child).length > 0) out[key] = child;
        } else if (Array.isArray(value)) {
          const items = value
            .filter(isObject)
            .map((v) => walk(v, path, false))
            .filter((v) => Object.keys(v).length > 0);
          if (items.length > 0) out[key] = items;
        }
      }
    }
    return out;
  };
  return walk(source, "", false);
}

/** The `_source` parameter in any of its forms: false, true, "a,b", ["a"], {includes, excludes}. */
export function sourceSpec(value: unknown): { enabled: boolean; includes: string[]; excludes: string[] } {
  if (value === undefined || value === true) return { enabled: true, includes: [], excludes: [] };
  if (value === false) return { enabled: false, includes: [], excludes: [] };
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : String(v).split(",").filter(Boolean));
  if (typeof value === "string" || Array.isArray(value)) return { enabled: true, includes: list(value), excludes: [] };
  const spec = value as Record<string, unknown>;
  return { enabled: true, includes: list(spec.includes ?? spec.include), excludes: list(spec.excludes ?? spec.exclude) };
}
