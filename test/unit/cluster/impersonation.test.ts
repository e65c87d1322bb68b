import http from "node:http";
import type { AddressInfo } from "node:net";
import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WorkloadRef } from "../../../server/cluster/types";
import type { KubeSim, RbacRule } from "../../../server/demo/kube-sim";
import { ForbiddenError } from "../../../server/shared/errors";
import { cardApi, gatewayFor, startSim, stopSimsAfterAll } from "./fixture";

const SLIPWAY = "system:serviceaccount:slipway:slipway";
const ref: WorkloadRef = { cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" };
const alice = { user: "alice@harbourbank.example", groups: ["squad-cards", "release-managers"] };

const rules: RbacRule[] = [
  { subjects: [{ kind: "User", name: SLIPWAY }], verbs: ["impersonate"], apiGroups: [""], resources: ["users", "groups"] },
  {
    subjects: [{ kind: "Group", name: "squad-cards" }],
    verbs: ["get", "list"],
    apiGroups: ["apps"],
    resources: ["deployments", "replicasets"],
    namespaces: ["cards"],
  },
  { subjects: [{ kind: "Group", name: "release-managers" }], verbs: ["patch"], apiGroups: ["apps"], resources: ["deployments"], namespaces: ["cards"] },
];

describe("acting for a person through impersonation", () => {
  stopSimsAfterAll();
  let sim: KubeSim;
  const withToken = (impersonate: boolean) => gatewayFor(sim, { impersonate, connection: { server: sim.url, token: "slipway-sa-token" } });

  beforeAll(async () => {
    sim = await startSim({ tokens: { "slipway-sa-token": { user: SLIPWAY } }, rbac: rules }, [cardApi()]);
  });

  it("sends each group as its own Impersonate-Group line, so RBAC grants from both groups apply", async () => {
    const updated = await withToken(true).setImage(ref, "app", "registry.example/card-api:1.1.0", { as: alice });
    expect(updated.images[0]!.tag).toBe("1.1.0");
  });

  it("lets the cluster's RBAC refuse what the person may not do, with the apiserver's message", async () => {
    const readOnly = { user: "bob@harbourbank.example", groups: ["squad-cards"] };
    const attempt = withToken(true).setImage(ref, "app", "registry.example/card-api:6.6.6", { as: readOnly });
    await expect(attempt).rejects.toThrow(ForbiddenError);
    await expect(withToken(true).setImage(ref, "app", "registry.example/card-api:6.6.6", { as: readOnly })).rejects.toThrow(
      'deployments.apps "card-api" is forbidden: User "bob@harbourbank.example" cannot patch resource "deployments" in API group "apps" in the namespace "cards"',
    );
    // Without impersonation Slipway acts as itself, which may only impersonate.
    await expect(withToken(false).getWorkload(ref, { as: alice })).rejects.toThrow(`User "${SLIPWAY}" cannot get resource "deployments"`);
  });

  it("shows why: client-node's flat header map would send both groups as one", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(sim.kubeconfig({ token: "slipway-sa-token" }));
    const apps = kc.makeApiClient(AppsV1Api);
    const options = setHeaderOptions(
      "Impersonate-User",
      alice.user,
      setHeaderOptions("Impersonate-Group", alice.groups.join(", "), setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch)),
    );
    await expect(apps.readNamespacedDeployment({ name: "card-api", namespace: "cards" }, options)).rejects.toMatchObject({ code: 403 });
  });

  describe("on the wire", () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const distinct: Array<NodeJS.Dict<string[]>> = [];
    let server: http.Server;
    let url = "";
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        seen.push(req.headers);
        distinct.push(req.headersDistinct);
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            kind: "Status",
            apiVersion: "v1",
            status: "Failure",
            reason: "NotFound",
            code: 404,
            message: 'deployments.apps "card-api" not found',
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("writes one header line per group, and none when the cluster does not impersonate", async () => {
      const recording = (impersonate: boolean) => gatewayFor(sim, { impersonate, connection: { server: url, token: "t0ken" } });
      await expect(recording(true).getWorkload(ref, { as: alice })).rejects.toThrow('deployments.apps "card-api" not found');
      expect(distinct[0]!["impersonate-group"]).toEqual(["squad-cards", "release-managers"]);
      expect(distinct[0]!["impersonate-user"]).toEqual([alice.user]);
      expect(seen[0]!.authorization).toBe("Bearer t0ken");
      await expect(recording(false).getWorkload(ref, { as: alice })).rejects.toThrow("not found");
      expect(seen[1]!["impersonate-user"]).toBeUndefined();
      expect(seen[1]!["impersonate-group"]).toBeUndefined();
    });
  });
});
