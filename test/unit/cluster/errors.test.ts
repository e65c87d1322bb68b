import net from "node:net";
import type { AddressInfo } from "node:net";
import { AppsV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterFailure } from "../../../server/cluster/cluster-errors";
import { forEachCluster } from "../../../server/cluster/cluster-registry";
import { getServiceRuntime } from "../../../server/cluster/runtime";
import type { WorkloadRef } from "../../../server/cluster/types";
import type { KubeSim } from "../../../server/demo/kube-sim";
import { ConflictError, ForbiddenError, NotFoundError, UpstreamError, ValidationError } from "../../../server/shared/errors";
import { cardApi, cardService, gatewayFor, installRegistry, startSim, stopSimsAfterAll } from "./fixture";

const ref: WorkloadRef = { cluster: "staging", kind: "Deployment", namespace: "cards", name: "card-api" };
const identity = { name: "staging", environment: "staging", timeoutSeconds: 3 };

function apps(sim: KubeSim): AppsV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  return kc.makeApiClient(AppsV1Api);
}

describe("cluster errors a person can act on", () => {
  stopSimsAfterAll();
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startSim({}, [cardApi()]);
  });

  it("names refused credentials and missing workloads", async () => {
    const badToken = gatewayFor(sim, { connection: { server: sim.url, token: "expired" } });
    const refused = await badToken.getWorkload(ref).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect((refused as UpstreamError).message).toBe("Slipway's credentials for cluster staging were refused");
    const missing = await gatewayFor(sim)
      .getWorkload({ ...ref, name: "card-apx" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as Error).message).toBe('deployments.apps "card-apx" not found');
  });

  it('classifies errors that carry only an HTTP status (client-node\'s Watch throws Error("Forbidden") with statusCode)', () => {
    const forbidden = clusterFailure(identity, Object.assign(new Error("Forbidden"), { statusCode: 403 }));
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(forbidden.message).toBe("the API server answered 403 Forbidden");
    expect(clusterFailure(identity, Object.assign(new Error("Service Unavailable"), { statusCode: 503 }))).toMatchObject({ status: 503 });
    expect(clusterFailure(identity, Object.assign(new Error("Too Many Requests"), { status: 429 })).message).toBe(
      "Cluster staging is overloaded: the API server answered 429 Too Many Requests",
    );
    expect(clusterFailure(identity, new Error("something odd")).message).toBe("Cluster staging failed unexpectedly: something odd");
  });

  it("maps the apiserver's 409 Conflict and 422 Invalid from client-node's ApiException", async () => {
    const api = apps(sim);
    const current = await api.readNamespacedDeployment({ name: "card-api", namespace: "cards" });
    await api.patchNamespacedDeployment(
      { name: "card-api", namespace: "cards", body: { metadata: { labels: { touched: "yes" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    const stale = await api.replaceNamespacedDeployment({ name: "card-api", namespace: "cards", body: current }).catch((e: unknown) => e);
    const conflict = clusterFailure(identity, stale);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.message).toBe(
      'Operation cannot be fulfilled on deployments.apps "card-api": the object has been modified; please apply your changes to the latest version and try again',
    );

    const failedTest = await api
      .patchNamespacedDeployment(
        { name: "card-api", namespace: "cards", body: [{ op: "test", path: "/metadata/resourceVersion", value: "1" }] },
        setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
      )
      .catch((e: unknown) => e);
    const invalid = clusterFailure(identity, failedTest);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid.status).toBe(422);
  });

  it("gives up on a cluster that does not answer within its timeout, or refuses connections", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const slow = gatewayFor(sim, { name: "slow", timeoutSeconds: 1, connection: { server: `http://127.0.0.1:${port}`, token: "x" } });
      const started = Date.now();
      const error = await slow.getWorkload({ ...ref, cluster: "slow" }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2500);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).status).toBe(504);
      expect((error as Error).message).toBe("Cluster slow did not answer within 1s");
    } finally {
      silent.close();
    }
    const closed = gatewayFor(sim, { name: "gone", connection: { server: `http://127.0.0.1:${port}`, token: "x" } });
    await expect(closed.listWorkloads()).rejects.toThrow("Cluster gone refused the connection: is its API server address right and running?");
  });

  it("returns the other clusters' data when one cluster is unreachable", async () => {
    const production = await startSim({}, [cardApi("registry.example/card-api:0.9.0")]);
    installRegistry([
      { name: "staging", environment: "staging", sim },
      { name: "production", environment: "production", sim: production },
    ]);
    sim.setUnreachable(true);
    try {
      const runtime = await getServiceRuntime(cardService);
      expect(runtime.errors).toEqual([{ cluster: "staging", environment: "staging", status: 504, message: "Cluster staging did not answer within 3s" }]);
      const [staging, prod] = runtime.environments;
      expect(staging!.clusters[0]!.error!.message).toBe("Cluster staging did not answer within 3s");
      expect(prod!.clusters[0]!.error).toBeNull();
      expect(prod!.clusters[0]!.workloads[0]!.runningVersion!.tag).toBe("0.9.0");

      const fanOut = await forEachCluster(undefined, (g) => g.listWorkloads({ namespace: "cards" }));
      expect(fanOut.data.flat().map((w) => w.cluster)).toEqual(["production"]);
      expect(fanOut.errors.map((e) => e.cluster)).toEqual(["staging"]);
    } finally {
      sim.setUnreachable(false);
    }
  });
});
