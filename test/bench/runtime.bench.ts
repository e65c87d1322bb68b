/**
 * `npm run bench:runtime`: two Kubernetes API simulators (staging and production) seeded with the demo's 40
 * workloads, the cluster registry and watch hub installed, the demo catalogue in a scratch Postgres database.
 * Calls the runtime route handlers in-process, as Next.js does, and prints one line per figure, then
 *   bench:runtime p95_ms=X k8s_requests_per_view_warm=Y streams=200 update_p95_ms=Z
 *
 * 1. Page views: GET /api/v1/services/{name}/runtime for every demo service, cold (empty caches) then warm;
 *    latency percentiles of the warm views and the Kubernetes requests each view cost.
 * 2. Streams: 200 concurrent GET .../runtime/stream (AbortControllers), spread over the services; then image
 *    changes through client-node, and how long each affected stream took to deliver the new image.
 *
 * Environment: BENCH_VIEWS (400) warm views, BENCH_STREAMS (200), BENCH_CHANGES (20) image changes,
 * SLIPWAY_BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { NextRequest } from "next/server";
import { GET as runtimeRoute } from "../../app/api/v1/services/[name]/runtime/route";
import { GET as streamRoute } from "../../app/api/v1/services/[name]/runtime/stream/route";
import { importCatalogue } from "../../server/catalogue";
import { clusterRegistry, setClusterRegistry } from "../../server/cluster/cluster-registry";
import type { ServiceRuntime } from "../../server/cluster/runtime-types";
import { demoComponents, demoVersions, demoWorkloads } from "../../server/demo/demo-clusters";
import { startKubeSim, type KubeSim } from "../../server/demo/kube-sim";
import { insertApiToken } from "../../server/identity/api-tokens";
import { systemContext } from "../../server/identity/system-context";
import { openDatabase, setDatabase, type Database } from "../../server/shared/db";
import { createScratchDb, migrate, type ScratchDb } from "./lib/scratch-db";

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  const n = v ? Number(v) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const VIEWS = int("BENCH_VIEWS", 400);
const STREAMS = int("BENCH_STREAMS", 200);
const CHANGES = int("BENCH_CHANGES", 20);

const log = (line: string) => process.stderr.write(`${line}\n`);
const out = (line: string) => process.stdout.write(`${line}\n`);
const pct = (values: number[], p: number) => {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (n: number) => n.toFixed(1);

type Params = { params: Promise<{ name: string }> };

async function main(): Promise<void> {
  let scratch: ScratchDb | undefined;
  let database: Database | undefined;
  const sims: KubeSim[] = [];
  const controllers: AbortController[] = [];
  try {
    // --- the database, with the demo catalogue and an API token ---
    scratch = await createScratchDb();
    await migrate(scratch.url);
    database = await openDatabase({ databaseUrl: scratch.url });
    setDatabase(database);
    await importCatalogue(fs.readFileSync("server/demo/seed/catalog.yaml", "utf8"), { principal: null, context: systemContext("bench") }, database.prisma);
    const person = await database.prisma.person.findFirstOrThrow();
    const { token } = await insertApiToken(database.prisma, {
      name: "bench",
      scopes: ["read"],
      expiresAt: new Date(Date.now() + 3_600_000),
      ownerPersonId: person.id,
      createdById: person.id,
    });
    const headers = { authorization: `Bearer ${token}`, "x-slipway-client-ip": "127.0.0.1" };

    // --- the clusters ---
    const services = demoComponents();
    const [staging, production] = await Promise.all([
      startKubeSim({ clock: "manual", clusterName: "staging" }),
      startKubeSim({ clock: "manual", clusterName: "production" }),
    ]);
    sims.push(staging, production);
    await Promise.all([staging.seedWorkloads(demoWorkloads(services, "staging")), production.seedWorkloads(demoWorkloads(services, "production"))]);
    setClusterRegistry({
      environments: [
        { name: "staging", title: "Staging" },
        { name: "production", title: "Production", production: true },
      ],
      clusters: sims.map((sim) => ({
        name: sim.clusterName,
        environment: sim.clusterName,
        connection: { server: sim.url, token: sim.adminToken },
        timeoutSeconds: 10,
      })),
    });
    const k8sRequests = () => staging.requestCount() + production.requestCount();
    log(`bench:runtime ${services.length} services on 2 simulated clusters (${staging.url}, ${production.url})`);

    // --- page views ---
    const view = async (name: string): Promise<{ ms: number; runtime: ServiceRuntime }> => {
      const started = performance.now();
      const res = await runtimeRoute(new NextRequest(`http://slipway.bench/api/v1/services/${name}/runtime`, { headers }), {
        params: Promise.resolve({ name }),
      } as Params);
      if (res.status !== 200) throw new Error(`runtime of ${name}: HTTP ${res.status} ${await res.text()}`);
      const runtime = (await res.json()) as ServiceRuntime;
      return { ms: performance.now() - started, runtime };
    };
    const namespaces = new Map<string, string>();
    for (const s of services) namespaces.set(s.annotations?.["backstage.io/kubernetes-namespace"] ?? "default", s.name);
    const coldCosts: number[] = [];
    const coldTimes: number[] = [];
    for (const name of namespaces.values()) {
      const before = k8sRequests();
      const { ms: took, runtime } = await view(name);
      if (runtime.errors.length) throw new Error(`cold view of ${name}: ${runtime.errors.map((e) => e.message).join("; ")}`);
      await new Promise((r) => setTimeout(r, 150)); // the watches that follow the LISTs
      coldCosts.push(k8sRequests() - before);
      coldTimes.push(took);
    }
    out(
      `bench:runtime cold views=${coldTimes.length} p50_ms=${ms(pct(coldTimes, 50))} k8s_requests_per_view_cold=${(coldCosts.reduce((a, b) => a + b, 0) / coldCosts.length).toFixed(1)} (LIST+WATCH of 5 resources x 2 clusters per new namespace)`,
    );

    for (const s of services) await view(s.name); // every service once: the caches are warm
    const warmTimes: number[] = [];
    const beforeWarm = k8sRequests();
    const resumesBefore = clusterRegistry().hub().stats().resumes;
    for (let i = 0; i < VIEWS; i++) warmTimes.push((await view(services[i % services.length]!.name)).ms);
    // Watches that client-node ended after 30 s without data (no bookmarks on a paused clock) and the hub resumed
    // in the background: not caused by any view.
    const resumes = clusterRegistry().hub().stats().resumes - resumesBefore;
    const warmCost = (k8sRequests() - beforeWarm - resumes) / VIEWS;
    const p95 = pct(warmTimes, 95);
    out(
      `bench:runtime warm views=${VIEWS} p50_ms=${ms(pct(warmTimes, 50))} p95_ms=${ms(p95)} p99_ms=${ms(pct(warmTimes, 99))} max_ms=${ms(Math.max(...warmTimes))}`,
    );
    out(`bench:runtime k8s_requests_per_view_warm=${warmCost} (background watch resumes during the views: ${resumes})`);

    // --- streams ---
    const streamServices = services.slice(0, Math.min(services.length, 20)).map((s) => s.name);
    const deliveries = new Map<string, Array<{ at: number; images: string[] }>>();
    const opened: Array<Promise<void>> = [];
    let ended = 0;
    for (let i = 0; i < STREAMS; i++) {
      const name = streamServices[i % streamServices.length]!;
      const controller = new AbortController();
      controllers.push(controller);
      const key = `${i}:${name}`;
      deliveries.set(key, []);
      opened.push(
        (async () => {
          const req = new NextRequest(`http://slipway.bench/api/v1/services/${name}/runtime/stream`, { headers, signal: controller.signal });
          const res = await streamRoute(req, { params: Promise.resolve({ name }) } as Params);
          if (res.status !== 200 || !res.body) throw new Error(`stream of ${name}: HTTP ${res.status}`);
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          void (async () => {
            try {
              for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                buffer += decoder.decode(value, { stream: true });
                let end: number;
                while ((end = buffer.indexOf("\n\n")) >= 0) {
                  const block = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  const data = block.split("\n").find((l) => l.startsWith("data: "));
                  if (!block.includes("event: runtime") || !data) continue;
                  const runtime = JSON.parse(data.slice(6)) as ServiceRuntime;
                  const images = runtime.environments.flatMap((e) =>
                    e.clusters.flatMap((c) => c.workloads.flatMap((w) => w.workload.images.map((img) => img.image))),
                  );
                  deliveries.get(key)!.push({ at: performance.now(), images });
                }
              }
            } catch {
              // aborted
            } finally {
              ended++;
            }
          })();
        })(),
      );
    }
    await Promise.all(opened);
    await new Promise((r) => setTimeout(r, 500));
    const beforeStreams = k8sRequests();
    const hubStats = clusterRegistry().hub().stats();
    const streamResumesBefore = hubStats.resumes;
    out(`bench:runtime streams=${STREAMS} open over ${streamServices.length} services informers=${hubStats.informers} watches=${hubStats.watches}`);

    const gateway = clusterRegistry().gateway("staging")!;
    const updateLatencies: number[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const name = streamServices[c % streamServices.length]!;
      const svc = services.find((s) => s.name === name)!;
      const namespace = svc.annotations?.["backstage.io/kubernetes-namespace"] ?? "default";
      const kind = svc.name === "card-processing" || svc.name === "payments-gateway" ? "Rollout" : "Deployment";
      const image = `registry.harbourbank.example/${name}:${demoVersions(name).staging}-bench.${c}`;
      const changedAt = performance.now();
      await gateway.setImage({ cluster: "staging", kind, namespace, name }, "app", image);
      const waiting = [...deliveries].filter(([key]) => key.endsWith(`:${name}`));
      const deadline = Date.now() + 5000;
      for (const [, events] of waiting) {
        for (;;) {
          const hit = events.find((e) => e.at >= changedAt && e.images.includes(image));
          if (hit) {
            updateLatencies.push(hit.at - changedAt);
            break;
          }
          if (Date.now() > deadline) throw new Error(`a stream of ${name} did not deliver ${image} within 5 s`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      await staging.clock.advance(2000); // let the controllers react, as the clusters would
      await new Promise((r) => setTimeout(r, 100));
    }
    const streamRequests = k8sRequests() - beforeStreams;
    const streamResumes = clusterRegistry().hub().stats().resumes - streamResumesBefore;
    out(
      `bench:runtime updates=${updateLatencies.length} (${CHANGES} image changes) update_p50_ms=${ms(pct(updateLatencies, 50))} update_p95_ms=${ms(pct(updateLatencies, 95))} update_max_ms=${ms(Math.max(...updateLatencies))}`,
    );
    out(
      `bench:runtime k8s_requests_during_streams=${streamRequests} (the image changes' GET+PATCH: ${CHANGES * 2}, background watch resumes: ${streamResumes}) simulator_requests_total=${k8sRequests()}`,
    );

    for (const c of controllers) c.abort();
    await new Promise((r) => setTimeout(r, 300));
    out(`bench:runtime streams_closed=${ended}/${STREAMS}`);
    out(`bench:runtime p95_ms=${ms(p95)} k8s_requests_per_view_warm=${warmCost} streams=${STREAMS} update_p95_ms=${ms(pct(updateLatencies, 95))}`);
  } finally {
    for (const c of controllers) c.abort();
    setClusterRegistry(null);
    await Promise.all(sims.map((s) => s.stop()));
    await database?.close();
    await scratch?.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench:runtime failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
