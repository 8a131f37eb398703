# The API and the jobs worker: one image, PROCESS_ROLE=api|worker picks (deploy/README.md).
# NODE_IMAGE: Node 20 on Debian bookworm slim; `node:20-bookworm-slim` where a registry is reachable,
# the local image deploy/build-images.sh makes where none is.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Only where npm goes through a TLS-inspecting proxy: its CA, mounted at build time (deploy/build-images.sh).
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node node_modules/tsx/dist/cli.mjs scripts/db/prisma-offline.ts generate \
 && node node_modules/@nestjs/cli/bin/nest.js build \
 && node node_modules/vite/bin/vite.js build --config admin-ui/vite.config.ts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production PROCESS_ROLE=api PORT=3000
WORKDIR /app
RUN groupadd --system --gid 10001 restream && useradd --system --uid 10001 --gid restream --home-dir /app restream
ARG NODE_EXTRA_CA_CERTS
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# applyMigrations finds prisma/migrations above dist/ (`node dist/src/cli/main.js db:migrate`).
COPY prisma/migrations ./prisma/migrations
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
