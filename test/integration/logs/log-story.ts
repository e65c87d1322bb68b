import { feedLines, startEsSim, type EsFlavour, type EsSim, type FluentdRecord } from "../../../server/demo/es-sim";
import { ElasticsearchLogSource } from "../../../server/logs";

/**
 * A small, known story in the es-sim: card-api (namespace cards) with two pods writing text and JSON lines, a
 * neighbour service in the same namespace and a secret-bearing service in another namespace whose lines must
 * never show up in card-api's logs.
 */

export const NOW = Date.parse("2026-11-22T12:00:00.000Z");
export const CARD_API = { namespace: "cards", label: "card-api" };

const label = (name: string) => ({ "backstage.io/kubernetes-id": name, "app.kubernetes.io/name": name });

export function storyRecords(): FluentdRecord[] {
  const records: FluentdRecord[] = [];
  const base = { image: "registry.example/card-api:1.2.3", container: "app" };
  for (let i = 0; i < 300; i++) {
    const time = NOW - (300 - i) * 1000;
    const pod = i % 2 === 0 ? "card-api-6d8f7c9b5-x2k4q" : "card-api-6d8f7c9b5-p9m2z";
    const line =
      i % 50 === 7
        ? `${new Date(time).toISOString()} ERROR [card-api] payment declined for order ${i}: card_expired`
        : i % 10 === 3
          ? JSON.stringify({ level: "warn", ts: new Date(time).toISOString(), msg: `slow query ${i}`, duration_ms: 700 + i })
          : `${new Date(time).toISOString()} INFO  [card-api] GET /api/cards/${i} 200 12ms line-${i}`;
    records.push({ ...base, namespace: "cards", pod, labels: label("card-api"), time, line, stream: line.includes("ERROR") ? "stderr" : "stdout" });
  }
  for (let i = 0; i < 50; i++) {
    const time = NOW - (50 - i) * 2000;
    const app = { container: "app", time };
    const worker = { ...app, image: "registry.example/card-api-worker:1.0.0", namespace: "cards", pod: "card-api-worker-7c9d8f6b4-q4w8e" };
    records.push({ ...worker, labels: label("card-api-worker"), line: `worker line ${i} SECRET-WORKER` });
    const elsewhere = { ...app, image: "registry.example/vault:1.0.0", namespace: "secrets", pod: "card-api-5c7f8d9b6-t5y6u" };
    records.push({ ...elsewhere, labels: label("card-api"), line: `other namespace line ${i} SECRET-OTHER-NAMESPACE` });
  }
  return records;
}

export type Story = { sim: EsSim; source: ElasticsearchLogSource; stop(): Promise<void> };

export async function startStory(flavour: EsFlavour = "elasticsearch8", records: FluentdRecord[] = storyRecords()): Promise<Story> {
  const sim = await startEsSim({ flavour, now: () => NOW + 5_000 });
  const fed = await feedLines(sim, records, { refresh: "true" });
  if (fed.failed.length > 0) throw new Error(`the simulator refused ${fed.failed.length} documents: ${JSON.stringify(fed.failed[0]?.error)}`);
  const source = new ElasticsearchLogSource({ environment: "staging", flavour, url: sim.url, indexPattern: "logstash-*", timeoutMs: 5000 });
  return {
    sim,
    source,
    async stop() {
      await source.stop();
      await sim.stop();
    },
  };
}
