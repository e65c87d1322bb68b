import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Rollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { Deployment } from "kubernetes-models/apps/v1";
import { NetworkPolicy, Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseConfig } from "../../../server/shared/config";
import { parseSlipwayConfig } from "../../../server/shared/config-file";

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

// Every kind deploy/ may contain, with the class that validates it against the Kubernetes OpenAPI schema.
const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "networking.k8s.io/v1/Ingress": Ingress,
  "argoproj.io/v1alpha1/Rollout": Rollout,
};

const kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((p) => fs.existsSync(p));

/**
 * The objects `kubectl apply -k <dir>` would send: rendered by kubectl's kustomize where kubectl exists; otherwise the
 * files the kustomization lists, read as they are (the base uses no generators or patches, so that is the same).
 */
function render(dir: string): KubeObject[] {
  let text: string;
  if (kubectl) {
    const result = spawnSync(kubectl, ["kustomize", dir], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    text = result.stdout;
  } else {
    const kustomization = parseAllDocuments(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8"))[0]!.toJS() as { resources: string[] };
    text = kustomization.resources.map((file) => fs.readFileSync(path.join(dir, file), "utf8")).join("\n---\n");
  }
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

function one(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found, `${kind} ${name ?? ""}`).toHaveLength(1);
  return found[0]!;
}

type Container = {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  securityContext: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet: { path: string } };
  readinessProbe?: { httpGet: { path: string } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
};
type PodSpec = {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  initContainers: Container[];
  containers: Container[];
  volumes: Array<{ name: string; emptyDir?: object; configMap?: { name: string }; secret?: { secretName: string } }>;
};
const podSpec = (deployment: KubeObject) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;

// Exactly what the cluster gateway calls (server/cluster/kube-gateway.ts, kube-resources.ts), one rule per line.
const gatewayRules = [
  "apps deployments get",
  "apps deployments list",
  "apps deployments patch",
  "apps deployments watch",
  "apps replicasets get",
  "apps replicasets list",
  "apps replicasets watch",
  "argoproj.io rollouts get",
  "argoproj.io rollouts list",
  "argoproj.io rollouts patch",
  "argoproj.io rollouts watch",
  "argoproj.io rollouts/status patch",
  "core events get",
  "core events list",
  "core events watch",
  "core groups impersonate",
  "core pods get",
  "core pods list",
  "core pods watch",
  "core pods/log get",
  "core users impersonate",
];

describe.each(["deploy/base", "deploy/overlays/example"])("%s", (dir) => {
  const objects = render(path.join(process.cwd(), dir));

  it("renders only objects that validate against the Kubernetes schemas", () => {
    expect(objects.length).toBeGreaterThanOrEqual(9);
    for (const object of objects) {
      const Model = models[`${object.apiVersion}/${object.kind}`];
      expect(Model, `no schema for ${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object as never).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
      if (object.kind !== "Namespace" && !object.kind.startsWith("Cluster")) expect(object.metadata.namespace, object.kind).toBe("slipway");
    }
  });

  it("grants Slipway's service account exactly what the cluster gateway uses, and nothing else", () => {
    const roles = objects.filter((o) => o.kind === "ClusterRole" || o.kind === "Role");
    expect(roles.map((r) => r.metadata.name)).toEqual(["slipway-gateway"]);
    const rules = (roles[0]!.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }>).flatMap((rule) =>
      rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${group || "core"} ${resource} ${verb}`))),
    );
    expect([...new Set(rules)].sort()).toEqual(gatewayRules);
    expect(rules.some((r) => r.includes("*"))).toBe(false);

    const bindings = objects.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding");
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "slipway-gateway" });
    expect(bindings[0]!.subjects).toEqual([{ kind: "ServiceAccount", name: "slipway", namespace: "slipway" }]);
    expect(podSpec(one(objects, "Deployment", "slipway")).serviceAccountName).toBe("slipway");
    one(objects, "ServiceAccount", "slipway");
  });

  it("runs several replicas as non-root with no capabilities, RuntimeDefault seccomp and a read-only root filesystem", () => {
    const deployment = one(objects, "Deployment", "slipway");
    expect((deployment.spec as { replicas: number }).replicas).toBeGreaterThanOrEqual(2);
    const pod = podSpec(deployment);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.securityContext, container.name).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(container.resources?.requests?.cpu, container.name).toBeDefined();
      expect(container.resources?.requests?.memory, container.name).toBeDefined();
      expect(container.resources?.limits?.memory, container.name).toBeDefined();
      // Every writable path is an emptyDir volume: the image's files stay as built.
      for (const mount of container.volumeMounts ?? []) {
        const volume = pod.volumes.find((v) => v.name === mount.name);
        expect(volume, mount.name).toBeDefined();
      }
    }
    const server = pod.containers.find((c) => c.name === "slipway")!;
    const writable = (server.volumeMounts ?? []).filter((m) => pod.volumes.find((v) => v.name === m.name)?.emptyDir).map((m) => m.mountPath);
    expect(writable.sort()).toEqual(["/app/.next/cache", "/tmp", "/var/lib/slipway"]);
    expect(server.env?.find((e) => e.name === "SLIPWAY_DATA_DIR")?.value).toBe("/var/lib/slipway");
  });

  it("probes liveness without the database and readiness with it, and keeps one replica through a drain", () => {
    const deployment = one(objects, "Deployment", "slipway");
    const server = podSpec(deployment).containers.find((c) => c.name === "slipway")!;
    expect(server.livenessProbe?.httpGet.path).toBe("/api/livez");
    expect(server.readinessProbe?.httpGet.path).toBe("/api/readyz");
    const pdb = one(objects, "PodDisruptionBudget", "slipway");
    const replicas = (deployment.spec as { replicas: number }).replicas;
    const { maxUnavailable, minAvailable } = pdb.spec as { maxUnavailable?: number; minAvailable?: number };
    expect(maxUnavailable ?? replicas - (minAvailable ?? replicas)).toBeLessThan(replicas);
    expect((pdb.spec as { selector: unknown }).selector).toEqual((deployment.spec as { selector: unknown }).selector);
    one(objects, "NetworkPolicy", "slipway");
    const service = one(objects, "Service", "slipway");
    expect((service.spec as { selector: unknown }).selector).toEqual((deployment.spec as { selector: { matchLabels: unknown } }).selector.matchLabels);
  });

  it("migrates once in an init container, so the servers skip it, and takes secrets only from the Secret", () => {
    const pod = podSpec(one(objects, "Deployment", "slipway"));
    expect(pod.initContainers.map((c) => [c.name, c.command])).toEqual([["migrate", ["node", "server/db.mjs", "migrate"]]]);
    const server = pod.containers.find((c) => c.name === "slipway")!;
    expect(server.args).toContain("--skip-migrations");
    expect(pod.initContainers[0]!.image).toBe(server.image);
    for (const container of [...pod.initContainers, ...pod.containers]) {
      const secrets = (container.env ?? []).filter((e) => /DATABASE_URL|SECRET|PASSWORD|TOKEN|SIGNING_KEY$/.test(e.name));
      for (const variable of secrets) expect(variable.valueFrom?.secretKeyRef?.name, variable.name).toBe("slipway");
    }
    expect(pod.volumes.find((v) => v.name === "audit-key")?.secret?.secretName).toBe("slipway");
  });

  it("ships settings and a config file that Slipway itself accepts", () => {
    const env = one(objects, "ConfigMap", "slipway-env").data as Record<string, string>;
    const parsed = parseConfig({ ...env, DATABASE_URL: "postgres://slipway@db.example.com/slipway" });
    expect(parsed.demo).toBe(false);
    expect(parsed.oidc?.clientId).toBeDefined();
    expect(new URL(parsed.publicUrl!).protocol).toBe("https:");
    const file = one(objects, "ConfigMap", "slipway-config").data as Record<string, string>;
    const config = parseSlipwayConfig(file["slipway.config.yaml"]!, "slipway.config.yaml");
    expect(config.clusters.map((c) => c.connection)).toContainEqual({ inCluster: true });
  });
});

describe("Dockerfile", () => {
  const dockerfile = fs.readFileSync(path.join(process.cwd(), "Dockerfile"), "utf8");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it("builds the packaged standalone server that test/integration/deploy/standalone.test.ts runs, and ships only it", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^RUN npm run build && node scripts\/package-standalone\.mjs --out \/out$/m);
    expect(runtime.match(/^COPY .*$/gm)).toEqual(["COPY --from=build --chown=root:root /out/ /app/"]);
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "server\/start\.mjs"\]$/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  it("runs as the non-root user the Deployment names", () => {
    const user = runtime.match(/^USER (\d+):(\d+)$/m);
    expect(user).not.toBeNull();
    const pod = podSpec(one(render(path.join(process.cwd(), "deploy/base")), "Deployment", "slipway"));
    expect([pod.securityContext.runAsUser, pod.securityContext.runAsGroup]).toEqual([Number(user![1]), Number(user![2])]);
  });
});
