// `npm run knip`: unused files, exports and dependencies. Next's app router files (page, layout, route, loading,
// error, not-found, proxy.ts), vitest's test files and package.json scripts are entry points through knip's plugins;
// the entries below are what starts some other way (test/run.mjs,
// test/check-architecture.mjs and prisma/generate.mjs are found in the scripts).
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  entry: [
    "server/cli/*.{ts,mjs}", // started by package.json scripts through tsx and --import
    "test/bench/*.bench.ts",
  ],
  project: ["**/*.{ts,tsx,mjs,css,prisma}"],
  ignoreDependencies: [
    "axe-core", // read from node_modules/axe-core/axe.min.js by test/e2e/accessibility.test.ts and injected into the page
  ],
  // This package's own bin (package.json "bin"), run by test/e2e/cli/slipway-cli.test.ts as CI would.
  ignoreBinaries: ["slipway"],
  // An export used in its own file is a name given away, not dead code; report only what nothing uses.
  ignoreExportsUsedInFile: true,
};

export default config;
