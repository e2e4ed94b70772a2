# Build stage: compile TypeScript to JavaScript.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, the built JavaScript and the schemas only; runs as non-root.
# No HEALTHCHECK: in Kubernetes the Deployment's probes on /readyz and /livez do that job.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    IMAGE_APISERVER_DATA_DIR=/var/lib/image-apiserver/data \
    IMAGE_APISERVER_CERT_DIR=/var/lib/image-apiserver/certs
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
    && mkdir -p /var/lib/image-apiserver && chown 1001:0 /var/lib/image-apiserver && chmod 0770 /var/lib/image-apiserver
COPY --from=build /src/dist ./dist
COPY schemas ./schemas
USER 1001
VOLUME ["/var/lib/image-apiserver"]
# 8080: standalone plain HTTP (the default command); 8443: HTTPS (--secure-port, aggregated mode).
EXPOSE 8080 8443
ENTRYPOINT ["node", "dist/main.js"]
CMD ["--bind-address", "0.0.0.0", "--port", "8080"]
