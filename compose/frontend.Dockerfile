# syntax=docker/dockerfile:1.7
# Builds the PWA and serves it with nginx, which also proxies /api and /socket.io to the api.
# Build context: the repository root (see docker-compose.yml).

FROM node:20-bookworm-slim AS build
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM nginx:1.27-alpine
COPY compose/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY compose/nginx/security-headers.conf /etc/nginx/snippets/fibernode-security-headers.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
