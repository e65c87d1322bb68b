import { setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeSim, RbacRule } from "@/server/demo/kube-sim";
import { apiError, clientsFor, merge, rawRequest, ROLLOUTS, startSim } from "./helpers";

const RULES: RbacRule[] = [
  // alice: read-only on deployments in team-a.
  { subjects: [{ kind: "User", name: "alice" }], verbs: ["get", "list", "watch"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["team-a"] },
  // The portal's service account may impersonate people and their groups, and read everything.
  { subjects: [{ kind: "User", name: "portal" }], verbs: ["impersonate"], apiGroups: [""], resources: ["users", "groups"] },
  { subjects: [{ kind: "User", name: "portal" }], verbs: ["get", "list", "watch"], apiGroups: ["*"], resources: ["*"] },
  // Group "viewers" can read, group "deployers" can change Deployments in team-a and promote Rollouts.
  { subjects: [{ kind: "Group", name: "viewers" }], verbs: ["get", "list"], apiGroups: ["apps", "argoproj.io"], resources: ["*"], namespaces: ["team-a"] },
  { subjects: [{ kind: "Group", name: "deployers" }], verbs: ["patch"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["team-a"] },
  { subjects: [{ kind: "Group", name: "deployers" }], verbs: ["patch"], apiGroups: ["argoproj.io"], resources: ["rollouts/status"], namespaces: ["team-a"] },
  // bob may patch rollouts but not their status.
  { subjects: [{ kind: "User", name: "bob" }], verbs: ["get", "patch"], apiGroups: ["argoproj.io"], resources: ["rollouts"], namespaces: ["team-a"] },
];

const TOKENS = {
  "alice-token": { user: "alice", groups: ["devs"] },
  "portal-token": { user: "portal" },
  "bob-token": { user: "bob" },
  "nobody-token": { user: "nobody" },
};

const DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/team-a/deployments/web";

describe("kube-sim authentication, RBAC and impersonation", () => {
  let sim: KubeSim;

  beforeAll(async () => {
    sim = await startSim({ tokens: TOKENS, rbac: RULES });
    await sim.seedWorkloads([
      { namespace: "team-a", name: "web", image: "web:1", replicas: 1 },
      { namespace: "team-b", name: "web", image: "web:1", replicas: 1 },
      { namespace: "team-a", name: "api", image: "api:1", replicas: 1, kind: "Rollout" },
    ]);
  });

  afterAll(async () => {
    await sim.stop();
  });

  it("answers a missing or unknown token with 401 Unauthorized", async () => {
    const none = await rawRequest(sim, DEPLOYMENT_PATH, { token: null });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401, message: "Unauthorized" });
    const { apps } = clientsFor(sim, "made-up");
    const err = await apiError(apps.readNamespacedDeployment({ name: "web", namespace: "team-a" }));
    expect(err.code).toBe(401);
  });

  it("lets the admin token do anything", async () => {
    const { apps } = clientsFor(sim);
    const res = await apps.patchNamespacedDeployment({ name: "web", namespace: "team-b", body: { metadata: { labels: { by: "admin" } } } }, merge());
    expect(res.metadata?.labels?.by).toBe("admin");
  });

  it("applies RBAC per verb, resource and namespace with the apiserver's forbidden message", async () => {
    const { apps } = clientsFor(sim, "alice-token");
    expect((await apps.readNamespacedDeployment({ name: "web", namespace: "team-a" })).metadata?.name).toBe("web");
    const otherNs = await apiError(apps.listNamespacedDeployment({ namespace: "team-b" }));
    expect(otherNs.code).toBe(403);
    expect(otherNs.status).toMatchObject({
      reason: "Forbidden",
      message: 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" in the namespace "team-b"',
      details: { group: "apps", kind: "deployments" },
    });
    const patch = await apiError(apps.patchNamespacedDeployment({ name: "web", namespace: "team-a", body: { spec: { replicas: 2 } } }, merge()));
    expect(patch.code).toBe(403);
    expect(patch.status.message).toBe(
      'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments" in API group "apps" in the namespace "team-a"',
    );
    const clusterWide = await apiError(apps.listDeploymentForAllNamespaces());
    expect(clusterWide.status.message).toBe(
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope',
    );
  });

  it("treats subresources as separate resources (rollouts/status)", async () => {
    const { custom } = clientsFor(sim, "bob-token");
    await custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace: "team-a", name: "api", body: { metadata: { labels: { bob: "was-here" } } } }, merge());
    const promote = await apiError(
      custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace: "team-a", name: "api", body: { status: { pauseConditions: null } } }, merge()),
    );
    expect(promote.code).toBe(403);
    expect(promote.status.message).toBe(
      'rollouts.argoproj.io "api" is forbidden: User "bob" cannot patch resource "rollouts/status" in API group "argoproj.io" in the namespace "team-a"',
    );
  });

  it("impersonates a user with every Impersonate-Group header line as its own group", async () => {
    const body = { metadata: { labels: { release: "r-42" } } };
    const headers = (groups: string | string[]) => ({
      "content-type": "application/merge-patch+json",
      "Impersonate-User": "carol",
      "Impersonate-Group": groups,
    });
    // Two header lines: only the second group (deployers) grants patch.
    const ok = await rawRequest(sim, DEPLOYMENT_PATH, { method: "PATCH", token: "portal-token", headers: headers(["viewers", "deployers"]), body });
    expect(ok.status).toBe(200);
    expect(ok.json().metadata.labels.release).toBe("r-42");
    // One line "viewers, deployers" is ONE group with that odd name: forbidden, reported for carol.
    const joined = await rawRequest(sim, DEPLOYMENT_PATH, { method: "PATCH", token: "portal-token", headers: headers("viewers, deployers"), body });
    expect(joined.status).toBe(403);
    expect(joined.json().message).toBe(
      'deployments.apps "web" is forbidden: User "carol" cannot patch resource "deployments" in API group "apps" in the namespace "team-a"',
    );
    const viewerOnly = await rawRequest(sim, DEPLOYMENT_PATH, { method: "PATCH", token: "portal-token", headers: headers(["viewers"]), body });
    expect(viewerOnly.status).toBe(403);
    const read = await rawRequest(sim, DEPLOYMENT_PATH, { token: "portal-token", headers: { "Impersonate-User": "carol", "Impersonate-Group": ["viewers"] } });
    expect(read.status).toBe(200);
  });

  it("requires the impersonate verb on users and groups", async () => {
    const asAlice = await rawRequest(sim, DEPLOYMENT_PATH, { token: "alice-token", headers: { "Impersonate-User": "carol" } });
    expect(asAlice.status).toBe(403);
    expect(asAlice.json().message).toBe('users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it("impersonation works from client-node with a single group header", async () => {
    const { apps } = clientsFor(sim, "portal-token");
    const options = setHeaderOptions("Impersonate-User", "dave", setHeaderOptions("Impersonate-Group", "viewers"));
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "team-a" }, options);
    expect(d.metadata?.name).toBe("web");
    const denied = await apiError(apps.readNamespacedDeployment({ name: "web", namespace: "team-b" }, options));
    expect(denied.status.message).toContain('User "dave" cannot get resource "deployments"');
  });

  it("answers SelfSubjectAccessReviews for the (impersonated) caller", async () => {
    const review = (resourceAttributes: object, headers: Record<string, string | string[]> = {}) =>
      rawRequest(sim, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
        method: "POST",
        token: "portal-token",
        headers,
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes } },
      });
    const attrs = { group: "argoproj.io", resource: "rollouts", subresource: "status", verb: "patch", namespace: "team-a", name: "api" };
    const asDeployer = await review(attrs, { "Impersonate-User": "erin", "Impersonate-Group": ["deployers"] });
    expect(asDeployer.status).toBe(201);
    expect(asDeployer.json().status.allowed).toBe(true);
    expect((await review(attrs)).json().status.allowed).toBe(false);
  });

  it("keeps discovery open to every authenticated user", async () => {
    const res = await rawRequest(sim, "/apis", { token: "nobody-token" });
    expect(res.status).toBe(200);
    const list = await rawRequest(sim, "/api/v1/namespaces", { token: "nobody-token" });
    expect(list.status).toBe(403);
    expect(list.json().message).toBe('namespaces is forbidden: User "nobody" cannot list resource "namespaces" in API group "" at the cluster scope');
  });
});
