# atlas-export-mock image (docs/docker.md): build stage, production dependencies only, slim runtime that runs
# as the unprivileged `node` user. Node is PID 1: the CLI handles SIGTERM/SIGINT itself (closes the server,
# exits within 3 s at most) and starts no child process, so no init is needed (`docker run --init` is harmless).

# ---- build: compile TypeScript (dev dependencies needed only here) ---------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle-cli.mjs ./scripts/
# The bundle carries the default dataset as loaded at build time (scripts/bundle-cli.mjs), so the build reads it.
COPY fixtures/default ./fixtures/default
# The same build as `npm run build`: tsc, then the CLI bundle that dist/cli.js runs with V8's compile cache
# (start-up); without the bundle dist/cli.js falls back to the compiled modules.
RUN npx tsc -p tsconfig.json && node scripts/bundle-cli.mjs && find dist \( -name '*.map' -o -name '*.d.ts' \) -delete \
 && mkdir /app/empty

# ---- deps: production dependencies, pruned of what never runs (types, sources, docs, tests) -----------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete \
 && find node_modules -mindepth 2 -maxdepth 3 -type d \( -name test -o -name tests -o -name __tests__ -o -name benchmark -o -name benchmarks -o -name example -o -name examples -o -name .github \) -prune -exec rm -rf {} + \
 && rm -rf node_modules/zod/src node_modules/.package-lock.json

# ---- runtime ---------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim
# Every option has an ATLAS_MOCK_* variable (`docker run … --help` lists them). HOST/PORT: listen on every
# interface of the container, port 8080. ATLAS_MOCK_FIXTURES=/fixtures: the bundled default dataset is
# copied there, so a volume mounted on /fixtures replaces it and nothing mounted means the default dataset.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ATLAS_MOCK_FIXTURES=/fixtures \
    ATLAS_MOCK_EXPORT_DIR=/exports
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY fixtures ./fixtures
COPY fixtures/default /fixtures
# Export files land in /exports (ATLAS_MOCK_EXPORT_DIR): an empty folder of the node user, so a volume mounted
# there (a named volume starts as a copy of it, owner included) is writable without a RUN in this stage.
COPY --from=build --chown=node:node /app/empty /exports
USER node
EXPOSE 8080
# Through Node (no curl in the image): dist/healthcheck.js asks /__mock/health on loopback at $PORT (open even
# with --admin-token: counts and the clock, no data; the token is sent anyway when ATLAS_MOCK_ADMIN_TOKEN is
# set). Exec form: no shell, no quotes.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "dist/healthcheck.js", "/__mock/health"]
ENTRYPOINT ["node", "dist/cli.js"]
