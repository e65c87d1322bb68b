import type { EntityRef, ServiceDetail } from "@/server/catalogue/contract";

/**
 * One group of related entities, shared by the dependency graph and the lists. `direction` says which way the
 * arrow points: "in" when the related entity uses (or provides) this one, "out" when this one uses it.
 */
export type RelationSection = {
  id: string;
  title: string;
  refs: EntityRef[];
  direction: "in" | "out";
  api: boolean;
  /** Shown even when empty (with `empty`), because for this kind its absence is worth saying. */
  primary: boolean;
  empty: string;
};

export function relationSections(service: ServiceDetail): { left: RelationSection[]; right: RelationSection[] } {
  const usedBy: RelationSection = {
    id: "used-by",
    title: "Used by",
    refs: service.dependents,
    direction: "in",
    api: false,
    primary: service.kind !== "api",
    empty: "Nothing in the catalogue depends on it.",
  };
  const dependsOn: RelationSection = {
    id: "depends-on",
    title: "Depends on",
    refs: service.dependsOn,
    direction: "out",
    api: false,
    primary: service.kind !== "api",
    empty: "It declares no dependencies.",
  };
  if (service.kind === "api") {
    return {
      left: [
        {
          id: "consumed-by",
          title: "Consumed by",
          refs: service.consumers,
          direction: "in",
          api: true,
          primary: true,
          empty: "No component declares that it consumes this API.",
        },
        usedBy,
      ],
      right: [
        {
          id: "provided-by",
          title: "Provided by",
          refs: service.providers,
          direction: "in",
          api: true,
          primary: true,
          empty: "No component declares that it provides this API.",
        },
        dependsOn,
      ],
    };
  }
  return {
    left: [usedBy],
    right: [
      dependsOn,
      {
        id: "provides-apis",
        title: "Provides APIs",
        refs: service.apis.provides,
        direction: "out",
        api: true,
        primary: service.kind === "component",
        empty: "It provides no APIs.",
      },
      {
        id: "consumes-apis",
        title: "Consumes APIs",
        refs: service.apis.consumes,
        direction: "out",
        api: true,
        primary: service.kind === "component",
        empty: "It consumes no APIs.",
      },
    ],
  };
}

export const visibleSections = (sections: RelationSection[]) => sections.filter((s) => s.primary || s.refs.length > 0);
