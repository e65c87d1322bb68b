import "server-only";
import { parseArgs } from "node:util";
import { feedLines, generateServiceLogs, startEsSim, type EsFlavour, type LoggingPod } from "../demo/es-sim";

/**
 * Runs the Elasticsearch/OpenSearch API simulator alone, seeded with fluentd-shaped demo logs:
 *   npm run log-sim -- [--port 9200] [--flavour elasticsearch8] [--lines 2000]
 */

const USAGE = `Usage: npm run log-sim -- [options]

  --port N               port to listen on (default $ES_SIM_PORT or 9200)
  --host ADDR            interface to listen on (default 127.0.0.1)
  --flavour F            elasticsearch8 (default), elasticsearch9 or opensearch2
  --lines N              log events to seed over the last hour (default 2000; 0 for none)
  --seed N               generator seed (default 1)
  --refresh-interval MS  scheduled refresh interval (default 1000; 0 for explicit refreshes only)
  --user NAME:PASSWORD   require basic auth with this user (default: security off)
`;

const SAMPLE_PODS: LoggingPod[] = (
  [
    { namespace: "storefront", pod: "web-6d8f7c9b5-x2k4q", image: "registry.example.com/storefront/web:2.14.0", style: "text" },
    { namespace: "storefront", pod: "web-6d8f7c9b5-p9m2z", image: "registry.example.com/storefront/web:2.14.0", style: "text" },
    { namespace: "storefront", pod: "cart-7b9d5f6c4-h7j3n", image: "registry.example.com/storefront/cart:1.8.3", style: "json" },
    { namespace: "payments", pod: "gateway-5c7f8d9b6-q4w8e", image: "registry.example.com/payments/gateway:4.2.1", style: "json" },
    { namespace: "payments", pod: "ledger-84f6d7c5b-t5y6u", image: "registry.example.com/payments/ledger:7.0.2", style: "text" },
  ] as const
).map((p) => {
  const name = p.pod.replace(/-[a-z0-9]+-[a-z0-9]+$/, "");
  const hash = p.pod.split("-").at(-2) ?? "";
  return { ...p, labels: { app: name, "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": p.namespace, "pod-template-hash": hash } };
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      flavour: { type: "string" },
      lines: { type: "string" },
      seed: { type: "string" },
      "refresh-interval": { type: "string" },
      user: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port ?? process.env.ES_SIM_PORT ?? 9200);
  const lines = Number(values.lines ?? 2000);
  const seed = Number(values.seed ?? 1);
  const refresh = Number(values["refresh-interval"] ?? 1000);
  const flavour = (values.flavour ?? "elasticsearch8") as EsFlavour;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${String(values.port ?? process.env.ES_SIM_PORT)}`);
  if (!["elasticsearch8", "elasticsearch9", "opensearch2"].includes(flavour)) throw new Error(`invalid --flavour: ${flavour}`);
  if (!Number.isInteger(lines) || lines < 0) throw new Error(`invalid --lines: ${String(values.lines)}`);
  if (!Number.isFinite(refresh) || refresh < 0) throw new Error(`invalid --refresh-interval: ${String(values["refresh-interval"])}`);
  let auth: { users: Record<string, string> } | undefined;
  let curlAuth = "";
  if (values.user) {
    const at = values.user.indexOf(":");
    if (at < 1) throw new Error("--user takes NAME:PASSWORD");
    auth = { users: { [values.user.slice(0, at)]: values.user.slice(at + 1) } };
    curlAuth = ` -u '${values.user}'`;
  }

  const sim = await startEsSim({
    flavour,
    port,
    host: values.host ?? "127.0.0.1",
    refreshIntervalMs: refresh === 0 ? null : refresh,
    ...(auth ? { auth } : {}),
  });
  const headers = values.user ? { Authorization: `Basic ${Buffer.from(values.user).toString("base64")}` } : undefined;
  const startedAt = Date.now();
  // Random gaps can overshoot the hour: drop what would lie in the future.
  const records = generateServiceLogs({ pods: SAMPLE_PODS, from: startedAt - 3_600_000, count: lines, ratePerSecond: lines / 3600, seed }).filter(
    (r) => Number(r.time) <= startedAt,
  );
  const fed = await feedLines(sim, records, {
    refresh: "true",
    ...(headers ? { headers } : {}),
  });
  const u = sim.url;
  const json = "-H 'Content-Type: application/json'";
  process.stdout.write(
    [
      `${flavour} ${sim.version} API simulator listening on ${u}`,
      `Seeded ${fed.indexed} fluentd-shaped log documents into ${fed.indices.join(", ") || "(none)"}`,
      "",
      "Try:",
      `  curl -s${curlAuth} '${u}/?pretty'`,
      `  curl -s${curlAuth} '${u}/_cat/indices?format=json&pretty'`,
      `  curl -s${curlAuth} '${u}/logstash-*/_search?pretty&size=3' ${json} -d '{"sort":[{"@timestamp":"desc"}],"query":{"bool":{"filter":[` +
        `{"term":{"kubernetes.namespace_name.keyword":"payments"}},{"range":{"@timestamp":{"gte":"now-15m"}}}]}}}'`,
      `  curl -s${curlAuth} '${u}/logstash-*/_search?pretty&size=3' ${json} -d '{"query":{"simple_query_string":{"query":"timed out",` +
        `"fields":["log","message"],"flags":"AND|OR|NOT|PHRASE|PRECEDENCE|ESCAPE|WHITESPACE"}}}'`,
      `  curl -s${curlAuth} '${u}/logstash-*/_search?pretty&size=0' ${json} -d '{"query":{"term":{"stream.keyword":"stderr"}},` +
        `"aggs":{"per_minute":{"date_histogram":{"field":"@timestamp","fixed_interval":"5m"}}}}'`,
      `  curl -s${curlAuth} -X POST '${u}/_bulk?refresh=true' -H 'Content-Type: application/x-ndjson' --data-binary ` +
        `$'{"index":{"_index":"logstash-${new Date().toISOString().slice(0, 10).replace(/-/g, ".")}"}}\\n` +
        `{"@timestamp":"${new Date().toISOString()}","log":"hello\\\\n","stream":"stdout"}\\n'`,
      flavour === "opensearch2"
        ? `  curl -s${curlAuth} -X POST '${u}/logstash-*/_search/point_in_time?keep_alive=1m&pretty'`
        : `  curl -s${curlAuth} -X POST '${u}/logstash-*/_pit?keep_alive=1m&pretty'`,
      "",
      "Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the simulator\n`);
    void sim.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`log-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
