/**
 * `npm run bench:checkpoints`: how fast an approval becomes a patch on the cluster, and how many rollouts per second
 * Slipway carries from approval to success. Real parts throughout: a scratch Postgres database, the demo catalogue,
 * the Kubernetes API simulator (fast pods), the cluster gateway and the rollout reconciler.
 */
import { performance } from "node:perf_hooks";
import { setClusterRegistry } from "../../server/cluster";
import { startKubeSim } from "../../server/demo/kube-sim";
import { seedDemo } from "../../server/demo/seed";
import { createSession } from "../../server/identity/sessions";
import { findSessionPrincipal } from "../../server/identity/sessions";
import { systemContext } from "../../server/identity/system-context";
import {
  clusterRolloutBackend,
  decideCheckpoint,
  registerRelease,
  requestRollout,
  setEnvironmentPolicies,
  startReconciler,
  type RolloutBackend,
} from "../../server/releases";
import { openDatabase } from "../../server/shared/db";
import { createScratchDb, migrate } from "./lib/scratch-db";

const rollouts = Number(process.env.BENCH_ROLLOUTS ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main() {
  const scratch = await createScratchDb();
  const sim = await startKubeSim({ clock: "real", clusterName: "production", podReadyDelayMs: 200, podStartDelayMs: 50 });
  try {
    await migrate(scratch.url);
    const database = await openDatabase({ databaseUrl: scratch.url });
    const db = database.prisma;
    await seedDemo(db, { history: false });
    setEnvironmentPolicies([
      {
        name: "production",
        title: "Production",
        production: true,
        policy: "checkpoint",
        approvalsDefault: 1,
        approvalsByTier: {},
        autoRollback: false,
        checkpointTtlHours: 72,
      },
    ]);
    const services = await db.service.findMany({
      where: { kind: "component", type: "service" },
      select: { name: true, team: { select: { name: true } } },
      orderBy: { name: "asc" },
    });
    await sim.seedWorkloads(
      services.map((s) => ({
        namespace: s.team?.name ?? "default",
        name: s.name,
        image: `registry.example/${s.name}:1.0.0`,
        replicas: 2,
        labels: { "backstage.io/kubernetes-id": s.name },
      })),
    );
    setClusterRegistry({
      environments: [{ name: "production", production: true }],
      clusters: [{ name: "production", environment: "production", connection: { server: sim.url, token: sim.adminToken, insecureSkipTlsVerify: true } }],
      namespaceOwners: Object.fromEntries([...new Set(services.map((s) => s.team?.name ?? "default"))].map((team) => [team, [team]])),
    });

    // Time from the approval's commit to the patch leaving for the cluster.
    const approvedAt = new Map<string, number>();
    const patchLatency: number[] = [];
    const inner = clusterRolloutBackend();
    const timed: RolloutBackend = {
      ...inner,
      async setImage(ref, container, image, as) {
        const started = approvedAt.get(`${ref.name}|${image}`);
        if (started !== undefined) patchLatency.push(performance.now() - started);
        return inner.setImage(ref, container, image, as);
      },
    };
    const reconciler = startReconciler(db, timed, { intervalMs: 500 });

    const person = async (name: string) => {
      const p = await db.person.findUniqueOrThrow({ where: { name } });
      const s = await createSession(db, { personId: p.id, method: "demo", hours: 1 });
      return (await findSessionPrincipal(db, s.token))!;
    };
    const admin = await person("aisha.bello");
    const requester = admin;
    const approver = await person("james.oconnor");
    const ctx = (name: string) => systemContext(name);

    const work = Array.from({ length: rollouts }, (_, i) => services[i % services.length]!);
    const started = performance.now();
    let done = 0;
    let next = 0;
    const finished: number[] = [];
    async function worker() {
      while (next < work.length) {
        const i = next++;
        const service = work[i]!;
        const version = `2.0.${i}`;
        const image = `registry.example/${service.name}:${version}`;
        await registerRelease(db, admin, ctx("bench-ci"), service.name, { version, image, commitSha: "abcdef0123" });
        const t0 = performance.now();
        const rollout = await requestRollout(db, timed, requester, ctx("aisha.bello"), {
          service: service.name,
          environment: "production",
          version,
          reason: "bench",
        });
        await decideCheckpoint(db, approver, ctx("james.oconnor"), rollout.id, "approve", "bench");
        approvedAt.set(`${service.name}|${image}`, performance.now());
        // What POST /api/v1/rollouts/{id}/approve does after the decision.
        reconciler.expedite(rollout.id);
        for (;;) {
          const state = (await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } })).state;
          if (state === "succeeded" || state === "failed" || state === "superseded") break;
          await new Promise((r) => setTimeout(r, 50));
        }
        finished.push(performance.now() - t0);
        done++;
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    await reconciler.stop();
    const failed = await db.rollout.count({ where: { state: "failed" } });
    console.log(
      `approve_to_patch p50_ms=${percentile(patchLatency, 50).toFixed(1)} p95_ms=${percentile(patchLatency, 95).toFixed(1)} samples=${patchLatency.length}`,
    );
    console.log(
      `request_to_success p50_ms=${percentile(finished, 50).toFixed(0)} p95_ms=${percentile(finished, 95).toFixed(0)} (pods ready after 200 ms in the simulator)`,
    );
    console.log(
      `throughput rollouts=${done} concurrency=${concurrency} seconds=${seconds.toFixed(1)} rollouts_per_s=${(done / seconds).toFixed(2)} failed=${failed}`,
    );
    console.log(
      `bench:checkpoints approve_to_patch_p50_ms=${percentile(patchLatency, 50).toFixed(1)} approve_to_patch_p95_ms=${percentile(patchLatency, 95).toFixed(1)} rollouts_per_s=${(done / seconds).toFixed(2)}`,
    );
    setClusterRegistry(null);
    await database.close();
  } finally {
    await sim.stop();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
