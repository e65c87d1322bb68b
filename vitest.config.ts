import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// `server-only` throws outside a React Server Components bundle; tests run server code directly.
const alias = {
  "@/": root,
  "server-only": fileURLToPath(new URL("./test/fixtures/server-only.ts", import.meta.url)),
};

// Two test files at a time (one per core on the project's 2-core machines) for the unit, Postgres and PGlite
// projects: every integration file has a database of its own (a copy of the run's migrated Postgres database, or an
// in-memory PGlite). The end-to-end project runs after them, one file at a time: it drives real Slipway servers and
// Chromium, which need the machine for their timings (a live tail within seconds, frames while scrolling).
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["test/integration/**/*.test.ts"],
          env: { SLIPWAY_TEST_DB: "postgres" },
          globalSetup: ["test/fixtures/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "pglite",
          include: ["test/integration/**/*.db.test.ts"],
          env: { SLIPWAY_TEST_DB: "pglite" },
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/fixtures/e2e-setup.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 90_000,
        },
      },
    ],
  },
});
