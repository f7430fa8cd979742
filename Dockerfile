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
ENV NODE_ENV=production STORE_URL=sqlite:///app/data/ringkas.sqlite
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
# node itself is PID 1's target (not npm), so SIGTERM reaches the bot.
ENTRYPOINT ["node", "bin/ringkas.js"]
CMD ["bot"]
