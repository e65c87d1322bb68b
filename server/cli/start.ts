import "server-only";
import http from "node:http";
import next from "next";
import { config } from "../shared/config";
import { loadSlipwayConfigFile } from "../shared/config-file";
import { createSlipway, stopSlipway, type SlipwayParts } from "../composition";
import { clusterRegistry, setClusterRegistry } from "../cluster";
import { createMetrics } from "../metrics";
import { measureWithMetrics, startHealthVerdicts } from "../releases";
import { configuredTarget, openDatabase } from "../shared/db";
import { logger } from "../shared/logger";
import { applyMigrations } from "../shared/migrations";
import { buildIfStale } from "./build-if-stale";
import { gracefulShutdown } from "./graceful-shutdown";
import { clientAddress, clientIpHeader, trustedProxies } from "../shared/client-ip";

/**
 * `npm start`: one process that migrates the database, seeds the demo on the embedded default, builds the app when
 * its sources changed, and serves it. One process, because embedded PGlite allows one.
 */
const root = process.cwd();
const dev = process.argv.includes("--dev");

async function main(): Promise<void> {
  const c = config();
  const log = logger();
  // Start-up timing, phase by phase (ms), logged once serving: where a slow first start spends its time.
  const timing: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    timing[phase] = Math.round(now - mark);
    mark = now;
  };
  // Not beside the database work: on 2 cores a concurrent first start compiled 2-3 times slower (measured).
  // --no-build: the caller built the app already (the tests build once, before starting any server).
  if (!dev && !process.argv.includes("--no-build")) buildIfStale(undefined, (m) => log.info(m));
  lap("buildMs");

  const database = await openDatabase(configuredTarget());
  lap("openDatabaseMs");
  // --skip-migrations: a migration step ran before this process (the Kubernetes init container, deploy/).
  const applied = process.argv.includes("--skip-migrations") ? [] : await applyMigrations(database.adapterFactory);
  lap("migrationsMs");
  if (applied.length) log.info({ applied }, "applied database migrations");

  // Which database, clusters, metrics and log sources: the config file's, or the embedded default's simulators.
  const file = c.configFile ? loadSlipwayConfigFile(c.configFile) : null;
  const embedded = c.demo && !file;
  let stopClusters: (() => Promise<void>) | undefined;
  let freshDemo = false;
  if (c.demo) {
    const { seedDemo } = await import("../demo/seed/index");
    freshDemo = (await seedDemo(database.prisma)).seeded;
    lap("seedMs");
  }
  const parts: SlipwayParts = { database, config: c, file };
  let stopDemoMetrics: (() => void) | undefined;
  let stopDemoLogs: (() => Promise<void>) | undefined;
  if (embedded) {
    // The embedded default's two clusters: Kubernetes API simulators in this process; metrics that follow them; an
    // Elasticsearch API simulator fed from their pods as fluentd would.
    const [{ startDemoClusters }, { startDemoMetricsEvents }, { createDemoMetricsSources }, { startDemoLogs }] = await Promise.all([
      import("../demo/demo-clusters"),
      import("../demo/demo-metrics-events"),
      import("../demo/demo-metrics"),
      import("../demo/demo-logs"),
    ]);
    const clusters = await startDemoClusters();
    stopClusters = clusters.stop;
    parts.clusters = clusters.registry;
    lap("clustersMs");
    const events = startDemoMetricsEvents(database.prisma);
    stopDemoMetrics = events.stop;
    parts.metrics = { metrics: createMetrics({ sources: createDemoMetricsSources({ events: events.events }) }), demo: true };
    setClusterRegistry(clusters.registry); // the gateways the log shipper reads pods through; createSlipway keeps them
    const demoLogs = await startDemoLogs({ clusters: clusterRegistry().clusters });
    stopDemoLogs = demoLogs.stop;
    parts.logSources = demoLogs.sources;
    lap("logsMs");
  }
  const slipway = createSlipway(parts);
  if (slipway.clusters.clusters.length) {
    // One pass at start reconciles whatever a crash left in flight; then it follows watch events.
    if (freshDemo && embedded) {
      const { startDemoActivity } = await import("../demo/seed/demo-activity");
      await startDemoActivity(database.prisma);
      slipway.releases?.reconciler.kick();
    }
    lap("releaseRuntimeMs");
    log.info({ clusters: slipway.clusters.clusters.map((g) => `${g.name} (${g.environment})`) }, "watching clusters");
  } else {
    log.warn("no clusters configured (SLIPWAY_CONFIG): the catalogue works, rollouts wait until clusters are configured");
  }

  // What each finished rollout did to its service (error ratio, p95, restarts before and after), measured once.
  const healthVerdicts = slipway.metrics ? startHealthVerdicts(database.prisma, measureWithMetrics(slipway.metrics.metrics)) : undefined;

  // Notifications: the outbox's delivery worker (the config's targets; on the embedded default a loopback Slack).
  const { startNotifications } = await import("../notifications");
  const notifications = await startNotifications({
    db: database.prisma,
    config: file?.notifications,
    publicUrl: c.publicUrl ?? `http://localhost:${c.port}`,
    demo: embedded,
  });

  // Signed digests of the audit chain's head, outside the database: a removed tail of the chain is detectable.
  const { startAuditDigests } = await import("../audit");
  const auditDigests = startAuditDigests(database.prisma);
  if (!auditDigests) log.warn("audit digests are off: set SLIPWAY_AUDIT_SIGNING_KEY or SLIPWAY_AUDIT_SIGNING_KEY_FILE");

  const app = next({ dev, dir: root, hostname: c.host, port: c.port });
  await app.prepare();
  lap("nextPrepareMs");
  const handle = app.getRequestHandler();
  const proxies = trustedProxies(c.trustedProxies);
  // Slipway's own telemetry: request ids and the request log, request metrics by route template, /metrics on its own port.
  const { instrumentHttp, startTelemetry } = await import("../telemetry");
  const telemetry = await startTelemetry({ db: database.prisma, root, distDir: process.env.SLIPWAY_DIST_DIR ?? ".next", host: c.host, embedded });
  if (telemetry.metrics) log.info({ metricsPort: telemetry.metrics.port }, `Slipway's own metrics: http://${c.host}:${telemetry.metrics.port}/metrics`);
  const server = http.createServer(
    instrumentHttp(
      (req, res) => {
        // Route handlers learn the client's address from this header only; a client-sent value is discarded.
        req.headers[clientIpHeader] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);
        void handle(req, res);
      },
      { routes: telemetry.routes },
    ),
  );
  server.listen(c.port, c.host, () => {
    const where = c.databaseUrl ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${c.dataDir}`;
    const startedMs = Math.round(performance.now());
    log.info({ startup: { ...timing, totalMs: startedMs } }, `Slipway is serving http://localhost:${c.port} on ${where}${c.demo ? ", with demo data" : ""}`);
  });

  // SIGTERM: streams end, applies in flight finish or are handed over within SLIPWAY_SHUTDOWN_GRACE_MS, leases go.
  const shutdown = gracefulShutdown({
    server,
    reconciler: () => slipway.releases?.reconciler,
    stopRest: async () => {
      stopDemoMetrics?.();
      await stopDemoLogs?.().catch(() => undefined);
      healthVerdicts?.stop();
      await notifications.stop().catch(() => undefined);
      await stopSlipway().catch(() => undefined);
      await stopClusters?.().catch(() => undefined);
      await auditDigests?.stop();
      await telemetry.stop();
      await database.close();
    },
  });
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  logger().fatal({ err: error }, error instanceof Error ? error.message : "start failed");
  process.exit(1);
});
