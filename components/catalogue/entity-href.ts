/** Where an entity of the catalogue lives in the UI; null for kinds that have no page. */
export function entityHref(kind: string, name: string): string | null {
  const path = encodeURIComponent(name);
  switch (kind.toLowerCase()) {
    case "component":
      return `/services/${path}`;
    case "api":
      return `/apis/${path}`;
    case "resource":
      return `/resources/${path}`;
    case "group":
      return `/teams/${path}`;
    default:
      return null;
  }
}

export const kindLabel: Record<string, { one: string; many: string }> = {
  component: { one: "Service", many: "Services" },
  api: { one: "API", many: "APIs" },
  resource: { one: "Resource", many: "Resources" },
};
