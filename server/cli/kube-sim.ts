import "server-only";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { demoComponents, demoNamespaceOwners, demoWorkloads } from "../demo/demo-clusters";
import { startKubeSim, type SeedWorkload } from "../demo/kube-sim";

/**
 * Runs one simulated Kubernetes cluster on wall-clock time with a few demo workloads:
 *   npx tsx --conditions=react-server server/cli/kube-sim.ts [--port 8001] [--kubeconfig PATH] [--speed 1]
 */

const USAGE = `Usage: npx tsx --conditions=react-server server/cli/kube-sim.ts [options]

  --port N            port to listen on (default $KUBE_SIM_PORT or 8001)
  --host ADDR         interface to listen on (default 127.0.0.1)
  --kubeconfig PATH   where to write the kubeconfig (default .slipway/kube-sim.kubeconfig)
  --cluster-name NAME cluster name (default kube-sim)
  --speed N           simulated seconds per wall-clock second (default 1)
  --workloads SET     demo (default): the Harbour Bank demo catalogue's services, as the embedded default runs
                      them in --environment; sample: five small storefront/payments workloads
  --environment ENV   staging (default) or production: which versions and replica counts the demo runs
  --config PATH       where to write a slipway.config.yaml for this cluster (default .slipway/kube-sim.config.yaml)
  --empty             start without workloads
  --require-token     answer requests without a bearer token with 401 (kubectl sends no token over plain
                      HTTP, so by default such requests act as the admin, like --anonymous-auth)
`;

const SAMPLE_WORKLOADS: SeedWorkload[] = [
  { namespace: "storefront", name: "web", image: "registry.example.com/storefront/web:2.14.0", replicas: 3, labels: { team: "storefront" } },
  { namespace: "storefront", name: "cart", image: "registry.example.com/storefront/cart:1.8.3", replicas: 2, labels: { team: "storefront" } },
  { namespace: "payments", name: "gateway", image: "registry.example.com/payments/gateway:4.2.1", replicas: 2, labels: { team: "payments" } },
  {
    namespace: "payments",
    name: "ledger",
    image: "registry.example.com/payments/ledger:7.0.2",
    replicas: 4,
    kind: "Rollout",
    labels: { team: "payments" },
    canarySteps: [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: "2m" } }],
  },
  { namespace: "platform", name: "search", image: "registry.example.com/platform/search:0.31.0", replicas: 2, labels: { team: "platform" } },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      kubeconfig: { type: "string" },
      "cluster-name": { type: "string" },
      speed: { type: "string" },
      empty: { type: "boolean" },
      workloads: { type: "string" },
      environment: { type: "string" },
      config: { type: "string" },
      "require-token": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port ?? process.env.KUBE_SIM_PORT ?? 8001);
  const speed = Number(values.speed ?? 1);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${String(values.port ?? process.env.KUBE_SIM_PORT)}`);
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`invalid speed: ${String(values.speed)}`);

  const sim = await startKubeSim({
    clock: "real",
    port,
    speed,
    host: values.host ?? "127.0.0.1",
    clusterName: values["cluster-name"] ?? "kube-sim",
    // kubectl never sends its token to a plain-HTTP server: let credential-less requests act as the admin.
    ...(values["require-token"] ? {} : { anonymous: { user: "kubernetes-admin", groups: ["system:masters"] } }),
  });
  const set = values.workloads ?? "demo";
  const environment = values.environment ?? "staging";
  if (set !== "demo" && set !== "sample") throw new Error(`invalid --workloads: ${set} (demo or sample)`);
  if (environment !== "staging" && environment !== "production") throw new Error(`invalid --environment: ${environment} (staging or production)`);
  const workloads = set === "demo" ? demoWorkloads(demoComponents(), environment) : SAMPLE_WORKLOADS;
  if (!values.empty) await sim.seedWorkloads(workloads);

  const kubeconfigPath = resolve(values.kubeconfig ?? ".slipway/kube-sim.kubeconfig");
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  writeFileSync(kubeconfigPath, sim.kubeconfig(), { mode: 0o600 });
  // A Slipway configuration with this cluster as the one cluster of its environment.
  const configPath = resolve(values.config ?? ".slipway/kube-sim.config.yaml");
  writeFileSync(
    configPath,
    [
      `# Written by npm run kube-sim: SLIPWAY_CONFIG=${configPath} npm start`,
      "environments:",
      "  - name: staging",
      "    policy: auto",
      "  - name: production",
      "    production: true",
      "    policy: checkpoint",
      "# Which squads own which namespaces: a service acts only on its squad's workloads.",
      "namespaceOwners:",
      ...Object.entries(demoNamespaceOwners(demoComponents())).map(([namespace, teams]) => `  ${namespace}: [${teams.join(", ")}]`),
      "clusters:",
      `  - name: ${sim.clusterName}`,
      `    environment: ${environment}`,
      `    connection: { server: "${sim.url}", token: "${sim.adminToken}" }`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const example = workloads[0];
  const next = example ? example.image.replace(/:[^:/]+$/, ":9.9.9") : "";

  process.stdout.write(
    [
      `Kubernetes API simulator "${sim.clusterName}" listening on ${sim.url}`,
      `kubeconfig: ${kubeconfigPath}`,
      `Slipway config (${environment}): ${configPath}`,
      "",
      "Try:",
      `  SLIPWAY_CONFIG=${configPath} npm start`,
      `  KUBECONFIG=${kubeconfigPath} kubectl get deploy -A`,
      ...(example
        ? [
            `  KUBECONFIG=${kubeconfigPath} kubectl set image -n ${example.namespace} deployment/${example.name} app=${next}`,
            `  KUBECONFIG=${kubeconfigPath} kubectl rollout status -n ${example.namespace} deployment/${example.name}`,
          ]
        : []),
      "",
      "Images tagged *crashloop* crash-loop and *never-ready* never become ready. Ctrl-C to stop.",
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
  process.stderr.write(`kube-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
