# vendor-risk bot image. Build: docker build -t vendor-risk .   Run: see compose.yml and docs/operations.md.
# Stage 1 installs everything, compiles TypeScript to dist/ (npm ci runs the `prepare` build) and then
# drops the development packages; stage 2 carries only what runs.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when one matches, and compiles from source otherwise.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
COPY commands ./commands
COPY migrations ./migrations
RUN npm ci && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# The SQLite default lives here; mount a volume, or set DATABASE_URL to PostgreSQL.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: the bot itself receives SIGTERM and drains (SHUTDOWN_GRACE_SECONDS) before exiting.
CMD ["node", "bin/start.js"]
