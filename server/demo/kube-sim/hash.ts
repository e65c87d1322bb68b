import "server-only";
import { stableStringify } from "./json";
import { SAFE_ALPHANUMS } from "./random";

/** FNV-1a 32-bit, the hash Kubernetes uses for pod-template-hash. */
export function fnv32a(input: string): number {
  let hash = 0x811c9dc5;
  const bytes = Buffer.from(input, "utf8");
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: maps every character to the vowel-free alphabet so hashes never spell words. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/**
 * controller.ComputeHash: hash of a pod template (plus the collision count), encoded like Kubernetes does, e.g.
 * "7d9f8c6b5". The upstream hashes a Go dump of the struct; hashing canonical JSON gives the same properties
 * (stable, differs whenever the template differs) though not the same digits.
 */
export function computePodTemplateHash(template: unknown, collisionCount?: number): string {
  let text = stableStringify(template);
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  return safeEncodeString(String(fnv32a(text)));
}
