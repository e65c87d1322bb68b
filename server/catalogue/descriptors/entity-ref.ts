import "server-only";

export type EntityRef = { kind: string; namespace: string; name: string };

const refPattern = /^(?:([A-Za-z][A-Za-z0-9]*):)?(?:([a-z0-9A-Z][-_.a-z0-9A-Z]*)\/)?([a-z0-9A-Z][-_.a-z0-9A-Z]*)$/;

/**
 * Parses a Backstage entity reference: `name`, `kind:name`, `kind:namespace/name`, `namespace/name`.
 * Returns an error message when the reference is malformed or of a kind the field does not allow.
 */
export function parseEntityRef(value: string, defaultKind: string, allowedKinds: string[]): EntityRef | { error: string } {
  const match = refPattern.exec(value.trim());
  if (!match) return { error: `"${value}" is not an entity reference (expected [kind:][namespace/]name)` };
  const kind = (match[1] ?? defaultKind).toLowerCase();
  if (!allowedKinds.includes(kind)) {
    return { error: `"${value}" must refer to a ${allowedKinds.join(" or ")}, not a ${kind}` };
  }
  return { kind, namespace: match[2] ?? "default", name: match[3]! };
}
