import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OpenMetricsWriter, startPrometheus, writeServiceSeries, type FixtureService, type RunningPrometheus } from "../../fixtures/prometheus";

/**
 * Six hours of a small cluster, ending now: card-api (Deployment, linkerd-meshed, a bad release an hour ago),
 * card-api-worker next to it (its pod names start with "card-api-": scoping by name prefix would mix them up),
 * and card-processing (an Argo Rollout with a canary carrying 20 % of the traffic).
 */

export const INTERVAL = 15;
export const now = Math.floor(Date.now() / 1000 / INTERVAL) * INTERVAL;
export const badReleaseAt = now - 3600;

export const services = {
  cardApi: {
    namespace: "cards",
    workload: "card-api",
    kind: "Deployment",
    replicaSets: [{ hash: "5d8f7c9b4", pods: 2, weight: 1 }],
    rps: 40,
    errorRatio: 0.01,
    linkerd: true,
    change: { at: badReleaseAt, errorRatio: 0.05, restartsPerHour: 12, slow: true },
  },
  worker: {
    namespace: "cards",
    workload: "card-api-worker",
    kind: "Deployment",
    replicaSets: [{ hash: "7b6c5d4f3", pods: 1, weight: 1 }],
    rps: 1000,
    errorRatio: 0.5,
  },
  cardProcessing: {
    namespace: "payments",
    workload: "card-processing",
    kind: "Rollout",
    replicaSets: [
      { hash: "6f9d8c7b5", pods: 4, weight: 0.8 },
      { hash: "84c7d6b9f", pods: 1, weight: 0.2, from: now - 1800 },
    ],
    rps: 100,
    errorRatio: 0.002,
  },
} satisfies Record<string, FixtureService>;

export const alertRules = `
groups:
  - name: fixture
    rules:
      - alert: KubePodCrashLooping
        expr: max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[10m])) > 0
        labels: { severity: warning }
        annotations: { summary: "Pod is restarting" }
      - alert: CardApiReplicasWatch
        expr: kube_deployment_spec_replicas{deployment="card-api"} > 0
        for: 1h
      - alert: PaymentsBusy
        expr: kube_replicaset_spec_replicas{namespace="payments"} > 0
`;

export async function startStoryPrometheus(): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-om-"));
  const out = new OpenMetricsWriter(path.join(dir, "cluster.om"));
  for (const s of Object.values(services)) writeServiceSeries(out, s, { from: now - 6 * 3600, to: now, interval: INTERVAL });
  out.close();
  try {
    return await startPrometheus({ openMetricsFile: out.file, rules: alertRules });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const asService = (s: FixtureService, annotations: Record<string, string> = {}) => ({
  namespace: s.namespace,
  workload: s.workload,
  kind: s.kind,
  annotations,
});
