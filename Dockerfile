# syntax=docker/dockerfile:1
# Slipway's container image: `docker build -t slipway:$(git rev-parse --short HEAD) .` (docs/production.md).
# Three stages: install every dependency, build and package the standalone server, then a runtime stage that holds
# only the packaged directory (no sources, no dev dependencies, no npm). Probes come from Kubernetes: no HEALTHCHECK.
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# npm 11 runs no install scripts; nothing here needs one.
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
# next build (output: "standalone"), then server/cli/start.ts and db.ts bundled with esbuild and the packages they
# load copied beside Next's traced ones: scripts/package-standalone.mjs.
RUN npm run build && node scripts/package-standalone.mjs --out /out

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# npm and corepack are not needed to run: fewer packages for scanners to flag.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
  && groupadd --system --gid 10001 slipway \
  && useradd --system --uid 10001 --gid slipway --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin slipway
WORKDIR /app
# Owned by root and not writable by the server: with a read-only root filesystem only /tmp, /app/.next/cache and
# /var/lib/slipway (emptyDir volumes in deploy/) take writes. Without those volumes the two directories below are
# the server's own, so `docker run` works too.
COPY --from=build --chown=root:root /out/ /app/
RUN mkdir -p /var/lib/slipway /app/.next/cache && chown slipway:slipway /var/lib/slipway /app/.next/cache
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    SLIPWAY_DATA_DIR=/var/lib/slipway
USER 10001:10001
EXPOSE 3000
# Migrates (unless --skip-migrations), starts the cluster watches and the reconciler, then serves. The migration step
# alone: `node server/db.mjs migrate`.
ENTRYPOINT ["node", "server/start.mjs"]
