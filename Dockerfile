# syntax=docker/dockerfile:1
# Build: compile TypeScript with all dependencies (sqlite3 builds from source where no prebuilt is reachable).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY bench ./bench
COPY eval ./eval
# bench/discord.ts drives the loopback Discord from test/helpers.
COPY test/helpers ./test/helpers
RUN npm ci && npm prune --omit=dev

# Runtime: production dependencies and the compiled code only, as an unprivileged user.
FROM node:20-bookworm-slim
# HTTP_PORT: /healthz and /metrics (the HEALTHCHECK below asks it); the Telegram webhook, when
# TELEGRAM_WEBHOOK_URL is set, listens on TELEGRAM_WEBHOOK_PORT (8080): two ports, never one.
ENV NODE_ENV=production STORE_URL=sqlite:///app/data/ringkas.sqlite HTTP_PORT=8081 SHUTDOWN_GRACE_MS=10000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
# The SQLite file (STORE_URL=sqlite:///app/data/...); unused with Redis.
VOLUME ["/app/data"]
EXPOSE 8081 8080
# Healthy while /healthz answers 200: the store answers, every configured platform is connected,
# feeds were polled within 3 x FEED_POLL_MINUTES (node's own fetch: the image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 8081) + '/healthz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# node itself is the process (not npm, not a shell): SIGTERM and SIGINT reach the bot, which
# handles them (stop taking work, finish replies within SHUTDOWN_GRACE_MS, close the store, exit 0;
# a second signal exits 1 at once). Give `docker stop` more than SHUTDOWN_GRACE_MS (compose.yaml:
# stop_grace_period). `docker run --init` adds a reaper as PID 1 and forwards the signals to node.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/ringkas.js"]
CMD ["bot"]
