# syntax=docker/dockerfile:1
# Vigil: one image for every stage (`vigil run --services …`), the simulator and the CLI.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# patches/ fixes kafkajs bugs (read_committed filtering, quadratic grouping); applied on install.
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
ENV NODE_ENV=production \
    VIGIL_DATA_DIR=/app/data \
    VIGIL_TEMPLATES_DIR=/app/templates \
    VIGIL_API_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY templates ./templates
COPY dashboards ./dashboards
# The embedded engine and a local broker write under data/; with CLICKHOUSE_URL and KAFKA_BROKERS
# set (as in docker-compose.yml) nothing is written there.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/vigil.js"]
CMD ["run", "--template", "finance"]
