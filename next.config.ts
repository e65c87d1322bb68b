import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Paths built from process.cwd() (data dir, audit digests) make the tracer copy the whole project into standalone;
  // the server needs none of its sources at run time (the packaging script copies the few files it reads).
  // Keyed by route ("/**"), not "*": "*" also matches Next's own server trace, where these globs match anywhere in a path
  // (".next/server/app/...") and dropped the build's chunks.
  outputFileTracingExcludes: {
    "/**": ["./{app,components,server,test,docs,deploy,scripts,prisma,public}/**/*", "./*.{md,ts,mjs,tsbuildinfo}", "./package-lock.json", "./tsconfig.json"],
  },
  // Benchmarks and end-to-end tests build into their own directory so they never race a developer's build.
  distDir: process.env.SLIPWAY_DIST_DIR ?? ".next",
  // `npm test` type-checks the whole project with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Native, wasm or Node-stream packages run from node_modules instead of being bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@prisma/driver-adapter-utils",
    "@prisma/schema-engine-wasm",
    "pg",
    "pino",
    "@kubernetes/client-node",
  ],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // API answers are data, never documents to render: nothing may load or frame them.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

/**
 * The build also writes the traced standalone copy the container image runs (scripts/package-standalone.mjs). Only the
 * build asks for it: `npm start` serves the full build beside it, and Next warns at every start of a custom server whose
 * loaded config says "standalone".
 */
export default function config(phase: string): NextConfig {
  // PHASE_PRODUCTION_BUILD from next/constants, which an ES module config cannot import without its .js extension.
  return phase === "phase-production-build" ? { ...nextConfig, output: "standalone" } : nextConfig;
}
