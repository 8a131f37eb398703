# The relay: Debian's nginx + libnginx-mod-rtmp and FFmpeg, driven by the relay agent (relay/README.md).
# Everything runs as an unprivileged user: nginx gets its own prefix, config, pid and logs under
# RELAY_WORK_DIR and listens on ports above 1024.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Only where npm goes through a TLS-inspecting proxy: its CA, mounted at build time (deploy/build-images.sh).
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node node_modules/tsx/dist/cli.mjs scripts/db/prisma-offline.ts generate \
 && node node_modules/@nestjs/cli/bin/nest.js build

FROM ${NODE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg nginx libnginx-mod-rtmp fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production RELAY_WORK_DIR=/var/lib/relay RELAY_BIND_HOST=0.0.0.0 \
    NGINX_RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
WORKDIR /app
# nginx opens its compiled-in access log and temp paths at start, whatever its config says: the relay user owns them.
RUN groupadd --system --gid 10002 relay && useradd --system --uid 10002 --gid relay --home-dir /var/lib/relay relay \
 && mkdir -p /var/lib/relay && chown relay:relay /var/lib/relay \
 && chown -R relay:relay /var/log/nginx /var/lib/nginx
ARG NODE_EXTRA_CA_CERTS
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/relay ./dist/relay
USER 10002:10002
# RTMP in, HLS out, metrics (and nginx's callbacks on loopback).
EXPOSE 1935 8888 8890
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.RELAY_CONTROL_PORT || 8890}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (RELAY_DRAIN_SECONDS) before the agent exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/relay/src/main.js"]
