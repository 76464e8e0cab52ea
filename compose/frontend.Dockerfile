# syntax=docker/dockerfile:1.7
# Builds the PWA and serves it with nginx, which also proxies /api and /socket.io to the api.
# Build context: the repository root (see docker-compose.yml).

FROM node:20-bookworm-slim AS build
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
# The release's version, shown on the splash and login and compared with the API's by the update banner; unset,
# vite.config.ts takes pyproject.toml's.
ARG VITE_APP_VERSION=""
COPY pyproject.toml /app/pyproject.toml
RUN VITE_APP_VERSION="${VITE_APP_VERSION}" npm run build

FROM nginx:1.27-alpine
COPY compose/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY compose/nginx/security-headers.conf /etc/nginx/snippets/fibernode-security-headers.conf
COPY --from=build /app/frontend/dist /usr/share/nginx/html
