import { describe, expect, it } from "vitest";
import { matchesTarget, namespacesFor, resolveWorkloadTarget } from "../../../server/cluster/workload-mapping";
import { ValidationError } from "../../../server/shared/errors";

const meta = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } });

describe("which workloads belong to a service", () => {
  it("finds workloads by backstage.io/kubernetes-id in the service's namespace", () => {
    const t = resolveWorkloadTarget({
      name: "card-api",
      annotations: { "backstage.io/kubernetes-id": "card-api", "backstage.io/kubernetes-namespace": "cards" },
    })!;
    expect(t.namespace).toBe("cards");
    expect(t.description).toBe("label backstage.io/kubernetes-id=card-api in namespace cards");
    expect(matchesTarget(t, "Deployment", meta("anything", { "backstage.io/kubernetes-id": "card-api" }))).toBe(true);
    expect(matchesTarget(t, "Deployment", meta("card-api", { app: "card-api" }))).toBe(false);
  });

  it("prefers a label selector annotation, and falls back to the cluster's namespaces, else all", () => {
    const t = resolveWorkloadTarget({
      name: "x",
      annotations: { "backstage.io/kubernetes-id": "x", "backstage.io/kubernetes-label-selector": "app=x,tier in (web)" },
    })!;
    expect(t.selector!.text).toBe("app=x,tier in (web)");
    expect(namespacesFor(t, ["a", "b"])).toEqual(["a", "b"]);
    expect(namespacesFor(t, null)).toEqual([null]);
  });

  it("takes an explicit workload kind, name, namespace and container", () => {
    const t = resolveWorkloadTarget({
      name: "payments",
      annotations: {
        "slipway.io/workload-kind": "Rollout",
        "slipway.io/workload-name": "payments-gateway",
        "slipway.io/workload-namespace": "payments-core",
        "slipway.io/container": "server",
      },
    })!;
    expect(t).toMatchObject({ namespace: "payments-core", container: "server", workload: { kind: "Rollout", name: "payments-gateway" } });
    expect(matchesTarget(t, "Rollout", meta("payments-gateway"))).toBe(true);
    expect(matchesTarget(t, "Deployment", meta("payments-gateway"))).toBe(false);
  });

  it("says so when a service has no Kubernetes annotations, unless asked to go by its name", () => {
    expect(resolveWorkloadTarget({ name: "ledger", annotations: {} })).toBeNull();
    expect(resolveWorkloadTarget({ name: "ledger" }, { byName: true })!.selector!.text).toBe("backstage.io/kubernetes-id=ledger");
  });

  it("rejects annotation values that are not valid Kubernetes names or selectors", () => {
    const bad: Array<Record<string, string>> = [
      { "backstage.io/kubernetes-id": "card api" },
      { "backstage.io/kubernetes-id": "x", "backstage.io/kubernetes-namespace": "../kube-system" },
      { "backstage.io/kubernetes-label-selector": "app=x)" },
      { "slipway.io/workload-name": "Card_API" },
      { "slipway.io/workload-name": "card-api", "slipway.io/workload-kind": "StatefulSet" },
      { "backstage.io/kubernetes-id": "x", "slipway.io/container": "App Server" },
    ];
    for (const annotations of bad) expect(() => resolveWorkloadTarget({ name: "svc", annotations }), JSON.stringify(annotations)).toThrow(ValidationError);
  });
});
