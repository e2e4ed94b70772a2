# Build stage: compile TypeScript to JavaScript.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, the built JavaScript and the schemas only; runs as non-root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY schemas ./schemas
USER 1001
VOLUME ["/var/lib/image-apiserver"]
EXPOSE 8080
ENTRYPOINT ["node", "dist/main.js"]
CMD ["--bind-address", "0.0.0.0", "--port", "8080", "--data-dir", "/var/lib/image-apiserver"]
