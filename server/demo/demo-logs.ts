import "server-only";
import type { ClusterGateway, PodView } from "../cluster";
import { ElasticsearchLogSource, type LogSource } from "../logs";
import { feedLines, generateServiceLogs, startEsSim, type EsSim, type FluentdRecord, type LoggingPod } from "./es-sim";

/**
 * The embedded default's log store: the es-sim in this process, fed as fluentd would feed it from the simulated
 * clusters. Every few seconds each pod's container logs (and, for a restarted pod, its previous container's, where
 * a crash loop's exception is) are read through the cluster gateway and shipped with `_bulk`, into one logstash
 * prefix per environment; half an hour of generated history per pod is loaded at start, and lines older than three hours
 * are dropped. The Logs tab then runs the real
 * Elasticsearch 8 client against it, so email-sender's crash loop in staging shows its exception there.
 */

export type DemoLogCluster = Pick<ClusterGateway, "name" | "environment" | "listPods" | "readPodLogs">;

export type DemoLogsOptions = {
  clusters: DemoLogCluster[];
  /** An already running simulator (default: start one, Elasticsearch 8). */
  sim?: EsSim;
  /** Generated history per pod before start (default 30 minutes; 0 for none). */
  backfillMinutes?: number;
  intervalMs?: number;
  now?: () => number;
};

export type DemoLogs = {
  sim: EsSim;
  /** One log source per environment, for createLogs. */
  sources: Record<string, LogSource>;
  /** One shipping round (tests call it directly); returns the lines shipped. */
  shipOnce(): Promise<number>;
  stop(): Promise<void>;
};

/** The demo's pods carry `backstage.io/kubernetes-id: <workload>`; PodView has no labels, so read it off the name. */
function workloadOf(pod: string): string {
  return pod.replace(/-[a-z0-9]{1,10}-[a-z0-9]{5}$/, "");
}

export const demoIndexPrefix = (environment: string) => `logstash-${environment}`;

const PARALLEL_READS = 8;
const SEEN_FOR_MS = 10 * 60_000;
/** How long the demo's log store keeps a line. */
const RETENTION_MS = 3 * 3_600_000;

export async function startDemoLogs(options: DemoLogsOptions): Promise<DemoLogs> {
  const now = options.now ?? Date.now;
  const sim = options.sim ?? (await startEsSim({ flavour: "elasticsearch8" }));
  // Every 5 s keeps the tail lively without making the demo's one process spend its cores on shipping.
  const intervalMs = options.intervalMs ?? 5000;
  const environments = [...new Set(options.clusters.map((c) => c.environment))];
  const sources: Record<string, LogSource> = Object.fromEntries(
    environments.map((environment) => [
      environment,
      new ElasticsearchLogSource({ environment, flavour: sim.flavour, url: sim.url, indexPattern: `${demoIndexPrefix(environment)}-*`, timeoutMs: 5000 }),
    ]),
  );
  // Lines already shipped, by pod/container/time/text, so overlapping reads never index a line twice.
  const seen = new Map<string, number>();
  const firstRead = new Set<string>();

  async function podsOf(cluster: DemoLogCluster): Promise<PodView[]> {
    try {
      return await cluster.listPods({ namespace: null });
    } catch {
      // An unreachable cluster ships nothing this round, as a node's fluentd would.
      return [];
    }
  }

  async function backfill(minutes: number): Promise<void> {
    for (const cluster of options.clusters) {
      const pods: LoggingPod[] = (await podsOf(cluster)).flatMap((p) =>
        p.images.map((c) => ({
          namespace: p.namespace,
          pod: p.name,
          container: c.container,
          image: c.image,
          labels: { "backstage.io/kubernetes-id": workloadOf(p.name) },
        })),
      );
      if (pods.length === 0) continue;
      const from = now() - minutes * 60_000;
      const count = pods.length * minutes * 2;
      const generated = generateServiceLogs({ pods, from, count, ratePerSecond: count / (minutes * 60), seed: cluster.name.length });
      const records = generated.filter((r) => Number(r.time) < now() - 5000);
      await feedLines(sim, records, { indexPrefix: demoIndexPrefix(cluster.environment), batchSize: 2000 });
    }
  }

  async function linesOf(cluster: DemoLogCluster, pod: PodView, container: string, previous: boolean): Promise<FluentdRecord[]> {
    const key = `${cluster.name}/${pod.namespace}/${pod.name}/${container}/${previous}`;
    const first = !firstRead.has(key);
    let lines: Array<{ time: string; text: string }>;
    try {
      lines = await cluster.readPodLogs(
        { cluster: cluster.name, namespace: pod.namespace, pod: pod.name, container },
        previous ? { previous: true, tailLines: 100 } : first ? { tailLines: 200 } : { sinceSeconds: Math.ceil((intervalMs * 3) / 1000) + 1, tailLines: 500 },
      );
    } catch {
      return [];
    }
    firstRead.add(key);
    const image = pod.images.find((i) => i.container === container)?.image ?? "unknown";
    const out: FluentdRecord[] = [];
    for (const line of lines) {
      if (!line.time) continue;
      const id = `${key.replace(/\/(true|false)$/, "")}/${line.time}/${line.text}`;
      if (seen.has(id)) continue;
      seen.set(id, now());
      const stream = /\b(ERROR|FATAL|"level":"(error|fatal)")/.test(line.text) || /^\s+at |^Error:/.test(line.text) ? "stderr" : "stdout";
      out.push({
        namespace: pod.namespace,
        pod: pod.name,
        container,
        image,
        labels: { "backstage.io/kubernetes-id": workloadOf(pod.name) },
        time: line.time,
        stream,
        line: line.text,
      });
    }
    return out;
  }

  async function shipOnce(): Promise<number> {
    let shipped = 0;
    for (const cluster of options.clusters) {
      const pods = await podsOf(cluster);
      const reads = pods.flatMap((p) =>
        p.images.flatMap((c) => [[p, c.container, false] as const, ...(p.restarts > 0 ? [[p, c.container, true] as const] : [])]),
      );
      const records: FluentdRecord[] = [];
      for (let i = 0; i < reads.length; i += PARALLEL_READS) {
        const batch = await Promise.all(reads.slice(i, i + PARALLEL_READS).map(([p, c, previous]) => linesOf(cluster, p, c, previous)));
        records.push(...batch.flat());
      }
      if (records.length > 0) {
        const fed = await feedLines(sim, records, { indexPrefix: demoIndexPrefix(cluster.environment) });
        shipped += fed.indexed;
      }
    }
    const floor = now() - SEEN_FOR_MS;
    for (const [id, at] of seen) if (at < floor) seen.delete(id);
    // A retention policy: the demo runs for days, the store lives in memory.
    sim.trimBefore(now() - RETENTION_MS);
    return shipped;
  }

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const loop = async () => {
    try {
      await shipOnce();
    } catch {
      // A failed round is retried by the next one; the demo's log store is best effort, like a node's fluentd.
    }
    if (!stopped) {
      timer = setTimeout(() => void loop(), intervalMs);
      timer.unref?.();
    }
  };

  const minutes = options.backfillMinutes ?? 30;
  if (minutes > 0) await backfill(minutes);
  if (intervalMs > 0) void loop();

  return {
    sim,
    sources,
    shipOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all(Object.values(sources).map((s) => (s as ElasticsearchLogSource).stop()));
      if (!options.sim) await sim.stop();
    },
  };
}
