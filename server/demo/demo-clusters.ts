import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type { ClusterRegistryInput } from "../cluster";
import { startKubeSim, type KubeSim, type SeedWorkload } from "./kube-sim";

/**
 * The embedded default's clusters: two Kubernetes API simulators in this process (staging and production, real
 * time), a Deployment for every demo component (a couple as Argo Rollouts), production one or two releases
 * behind staging. Installs them as the process's cluster registry.
 */

export type DemoService = { name: string; annotations?: Record<string, string> | null; team?: string | null };

/** The two simulators and the registry entries that point at them (the composition root installs those). */
export type DemoClusters = { staging: KubeSim; production: KubeSim; registry: ClusterRegistryInput; stop(): Promise<void> };

const REGISTRY = "registry.harbourbank.example";
const ROLLOUT_SERVICES = new Set(["card-processing", "payments-gateway"]);
export const CANARY_IN_STAGING = "card-processing";
export const CRASHLOOP_IN_STAGING = "email-sender";
const CANARY_STEPS = [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: "30s" } }];

function hashOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** A stable staging version per service, and production one or two minor releases behind it. */
export function demoVersions(name: string): { staging: string; production: string } {
  const h = hashOf(name);
  const major = 1 + (h % 3);
  const minor = 3 + ((h >>> 4) % 18);
  const patch = (h >>> 9) % 7;
  const behind = 1 + ((h >>> 13) % 2);
  return { staging: `${major}.${minor}.${patch}`, production: `${major}.${minor - behind}.${(h >>> 17) % 5}` };
}

/** The demo catalogue's components, read from server/demo/seed/catalog.yaml. */
export function demoComponents(): DemoService[] {
  const text = fs.readFileSync(path.join(process.cwd(), "server", "demo", "seed", "catalog.yaml"), "utf8");
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> }; spec?: { owner?: string } })
    .filter((d) => d?.kind === "Component" && typeof d.metadata?.name === "string")
    .map((d) => ({ name: d.metadata!.name!, annotations: d.metadata!.annotations ?? {}, team: d.spec?.owner?.replace(/^group:(default\/)?/, "") ?? null }));
}

/** One workload per service as the demo clusters run them. */
export function demoWorkloads(services: DemoService[], environment: "staging" | "production"): SeedWorkload[] {
  return services.map((s) => {
    const id = s.annotations?.["backstage.io/kubernetes-id"] ?? s.name;
    const namespace = s.annotations?.["backstage.io/kubernetes-namespace"] ?? s.team ?? "default";
    const rollout = ROLLOUT_SERVICES.has(s.name);
    return {
      namespace,
      name: id,
      image: `${REGISTRY}/${id}:${demoVersions(s.name)[environment]}`,
      replicas: environment === "production" ? 2 + (hashOf(s.name) % 3) : rollout ? 5 : 2,
      labels: { "backstage.io/kubernetes-id": id },
      ...(rollout ? { kind: "Rollout" as const, canarySteps: CANARY_STEPS } : {}),
    };
  });
}

/** Each demo squad owns the namespace its services run in (as a platform team would set in slipway.config.yaml). */
export function demoNamespaceOwners(services: DemoService[]): Record<string, string[]> {
  const owners: Record<string, string[]> = {};
  for (const s of services) {
    const namespace = s.annotations?.["backstage.io/kubernetes-namespace"] ?? s.team ?? "default";
    if (!s.team) continue;
    const teams = (owners[namespace] ??= []);
    if (!teams.includes(s.team)) teams.push(s.team);
  }
  return owners;
}

/** The next minor version: what the demo's live activity releases. */
export function nextVersion(version: string): string {
  const [major, minor] = version.split(".");
  return `${major}.${Number(minor) + 1}.0`;
}

export async function startDemoClusters(services?: DemoService[]): Promise<DemoClusters> {
  const components = services ?? demoComponents();
  const [staging, production] = await Promise.all([
    startKubeSim({ clock: "real", clusterName: "staging" }),
    startKubeSim({ clock: "real", clusterName: "production", nodes: 6 }),
  ]);
  await Promise.all([staging.seedWorkloads(demoWorkloads(components, "staging")), production.seedWorkloads(demoWorkloads(components, "production"))]);
  const registry: ClusterRegistryInput = {
    environments: [
      { name: "staging", title: "Staging", production: false },
      { name: "production", title: "Production", production: true },
    ],
    clusters: [
      { name: "staging", environment: "staging", connection: { server: staging.url, token: staging.adminToken }, timeoutSeconds: 5 },
      { name: "production", environment: "production", connection: { server: production.url, token: production.adminToken }, timeoutSeconds: 5 },
    ],
    namespaceOwners: demoNamespaceOwners(components),
  };

  // The demo's crash-looping release: the simulator's pods for this image fail. Slipway rolls it out to staging
  // after start (see server/demo/seed/demo-activity.ts), so the failure shows up through its own machinery.
  staging.setImageBehaviour(`${REGISTRY}/${CRASHLOOP_IN_STAGING}:${nextVersion(demoVersions(CRASHLOOP_IN_STAGING).staging)}`, "crashloop");

  return {
    staging,
    production,
    registry,
    async stop() {
      await Promise.all([staging.stop(), production.stop()]);
    },
  };
}
