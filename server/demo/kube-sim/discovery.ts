import "server-only";
import { RESOURCES, type ResourceType } from "./resources";

/** Legacy (non-aggregated) discovery documents, which kubectl and client-node both understand. */

export const KUBERNETES_VERSION = { major: "1", minor: "31", gitVersion: "v1.31.4" };

export function versionInfo(buildDate: string): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: "a78aa47129b8539636eb86a9d00e31b2720fe06b",
    gitTreeState: "clean",
    buildDate,
    goVersion: "go1.22.10",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

interface ExtraGroup {
  group: string;
  version: string;
  resources: Array<{ name: string; kind: string; verbs: string[]; namespaced: boolean; singularName: string }>;
}

const AUTHORIZATION: ExtraGroup = {
  group: "authorization.k8s.io",
  version: "v1",
  resources: [
    { name: "selfsubjectaccessreviews", kind: "SelfSubjectAccessReview", verbs: ["create"], namespaced: false, singularName: "selfsubjectaccessreview" },
    { name: "subjectaccessreviews", kind: "SubjectAccessReview", verbs: ["create"], namespaced: false, singularName: "subjectaccessreview" },
  ],
};

function groups(): Array<{ name: string; version: string }> {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group) seen.set(r.group, r.version);
  seen.set(AUTHORIZATION.group, AUTHORIZATION.version);
  return [...seen.entries()].map(([name, version]) => ({ name, version }));
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDocument(name: string, version: string): unknown {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): unknown {
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups().map((g) => groupDocument(g.name, g.version)) };
}

export function apiGroup(name: string): unknown | undefined {
  const g = groups().find((x) => x.name === name);
  if (!g) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...(groupDocument(g.name, g.version) as object) };
}

function subresourceEntry(r: ResourceType, sub: string): Record<string, unknown> {
  if (sub === "scale") {
    return {
      name: `${r.plural}/scale`,
      singularName: "",
      namespaced: r.namespaced,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    };
  }
  if (sub === "log") return { name: `${r.plural}/log`, singularName: "", namespaced: r.namespaced, kind: "Pod", verbs: ["get"] };
  return { name: `${r.plural}/${sub}`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] };
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  if (group === AUTHORIZATION.group && version === AUTHORIZATION.version) {
    return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: AUTHORIZATION.resources };
  }
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const list: Array<Record<string, unknown>> = [];
  for (const r of resources) {
    list.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) list.push(subresourceEntry(r, sub));
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: list };
}
