import "server-only";
import http from "node:http";
import next from "next";
import { config } from "../shared/config";
import { configuredTarget, openDatabase, setDatabase } from "../shared/db";
import { logger } from "../shared/logger";
import { applyMigrations } from "../shared/migrations";
import { buildIfStale } from "./build-if-stale";
import { clientIpHeader } from "../shared/client-ip";

/**
 * `npm start`: one process that migrates the database, seeds the demo on the embedded default, builds the app when
 * its sources changed, and serves it. One process, because embedded PGlite allows one.
 */
const root = process.cwd();
const dev = process.argv.includes("--dev");

async function main(): Promise<void> {
  const c = config();
  const log = logger();
  if (!dev) buildIfStale(undefined, (m) => log.info(m));

  const database = await openDatabase(configuredTarget());
  const applied = await applyMigrations(database.adapterFactory);
  if (applied.length) log.info({ applied }, "applied database migrations");
  setDatabase(database);

  let stopClusters: (() => Promise<void>) | undefined;
  let freshDemo = false;
  if (c.demo) {
    const { seedDemo } = await import("../demo/seed/index");
    freshDemo = (await seedDemo(database.prisma)).seeded;
  }
  if (c.demo && !process.env.SLIPWAY_CONFIG) {
    // The embedded default's two clusters: Kubernetes API simulators in this process.
    const { startDemoClusters } = await import("../demo/demo-clusters");
    const clusters = await startDemoClusters();
    stopClusters = clusters.stop;
  }
  const { clusterRegistry } = await import("../cluster");
  let stopReconciler: (() => Promise<void>) | undefined;
  if (clusterRegistry().clusters.length) {
    // One pass at start reconciles whatever a crash left in flight; then it follows watch events.
    const { clusterRolloutBackend, installReleaseRuntime } = await import("../releases");
    const runtime = installReleaseRuntime(database.prisma, clusterRolloutBackend());
    stopReconciler = runtime.reconciler.stop;
    if (freshDemo && stopClusters) {
      const { startDemoActivity } = await import("../demo/seed/demo-activity");
      await startDemoActivity(database.prisma);
      runtime.reconciler.kick();
    }
    log.info({ clusters: clusterRegistry().clusters.map((g) => `${g.name} (${g.environment})`) }, "watching clusters");
  } else {
    log.warn("no clusters configured (SLIPWAY_CONFIG): the catalogue works, rollouts wait until clusters are configured");
  }

  const app = next({ dev, dir: root, hostname: c.host, port: c.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // Route handlers learn the TCP peer from this header only; a client-sent value is discarded.
    req.headers[clientIpHeader] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  server.listen(c.port, c.host, () => {
    const where = c.databaseUrl ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${c.dataDir}`;
    log.info(`Slipway is serving http://localhost:${c.port} on ${where}${c.demo ? ", with demo data" : ""}`);
  });

  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close();
    setTimeout(() => process.exit(0), 3_000).unref();
    void (async () => {
      await stopReconciler?.().catch(() => undefined);
      await stopClusters?.().catch(() => undefined);
      await database.close();
    })().finally(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  logger().fatal({ err: error }, error instanceof Error ? error.message : "start failed");
  process.exit(1);
});
