# atlas-export-mock image: build stage, production dependencies only, slim runtime as the `node` user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY fixtures ./fixtures
USER node
EXPOSE 8080
# /__mock/health is cheap and open even with --admin-token (it shows counts and the clock, no data).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD ["node", "dist/healthcheck.js", "/__mock/health"]
ENTRYPOINT ["node", "dist/cli.js"]
