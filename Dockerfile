# --- build: all dependencies (the lockfile pins them), compile to dist/, then drop dev deps ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
# `prisma generate` (scripts/prisma-generate.mjs, into src/generated) needs these files.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/
# `npm ci` fails against some registries; `npm install` still follows package-lock.json.
# Dependencies' install scripts are skipped (as npm 11 does on dev machines): none is needed
# at run time, and @prisma/engines' would download a schema-engine binary we never use.
RUN npm install --no-audit --no-fund --ignore-scripts && node scripts/prisma-generate.mjs
COPY tsconfig.json tsconfig.build.json codegen.ts schema.graphql ./
COPY src ./src
COPY scripts ./scripts
COPY dashboard ./dashboard
RUN npm run build && npm prune --omit=dev --ignore-scripts

# --- runtime ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# the app binds to 127.0.0.1 by default; in a container it must listen on the container's interface
ENV HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only for the app user; migrations in prisma/ are applied at start.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dashboard/dist ./dashboard/dist
# served at /docs/*.md, linked from GET /
COPY README.md ./
COPY docs ./docs
# The one directory the app writes (uploads and exports); owned by the app user so a fresh Docker
# volume mounted here is writable too. Kubernetes mounts a ReadWriteMany volume here (deploy/).
ENV BLOB_DIR=/var/lib/amused/blobs
RUN mkdir -p /var/lib/amused/blobs && chown node:node /var/lib/amused/blobs
# numeric, so Kubernetes can check runAsNonRoot
USER 1000:1000
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
