import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

// `server-only` throws outside a React Server Components bundle; tests run server code directly.
const alias = {
  "@/": root,
  "server-only": fileURLToPath(new URL("./test/fixtures/server-only.ts", import.meta.url)),
};

// Two test files at a time (one per core on the project's 2-core machines): the unit, Postgres and PGlite projects
// share them; the Postgres project runs one file at a time (its files share the run's database), PGlite files each
// have their own in-memory database and run side by side. The end-to-end
// project runs after them, alone: it drives real Slipway servers and Chromium, which need the whole machine for
// its timings (a live tail within seconds, frames while scrolling) to mean anything.
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
          fileParallelism: false,
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
