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
# Build-time settings of the PWA (frontend/src/lib/config.ts): the API's URL (e.g. https://api.example.id/api) and
# Socket.IO's (e.g. https://api.example.id) when they are not this image's own origin, and the app's name (title,
# manifest). Empty: same origin, and "FiberNode Internet".
ARG VITE_API_URL=""
ARG VITE_WS_URL=""
ARG VITE_APP_NAME=""
COPY pyproject.toml /app/pyproject.toml
RUN VITE_APP_VERSION="${VITE_APP_VERSION}" VITE_API_URL="${VITE_API_URL}" VITE_WS_URL="${VITE_WS_URL}" \
    VITE_APP_NAME="${VITE_APP_NAME}" npm run build

# 1.28 (stable): `server ... resolve` in an upstream block is open source from 1.27.3 (compose/nginx/default.conf).
FROM nginx:1.28-alpine
# Every config is in the image (a Portainer stack cannot bind-mount repository files). The resolver is a template
# the image's entrypoint renders into conf.d/ at each start, so NGINX_RESOLVER can be changed on the service.
ENV NGINX_RESOLVER=127.0.0.11
COPY compose/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY compose/nginx/security-headers.conf /etc/nginx/snippets/fibernode-security-headers.conf
# A PWA built for an API on another origin may connect to it (and show its uploaded logos): the CSP names it.
ARG VITE_API_URL=""
ARG VITE_WS_URL=""
COPY compose/nginx/csp-origins.sh /usr/local/bin/csp-origins.sh
RUN sh /usr/local/bin/csp-origins.sh /etc/nginx/snippets/fibernode-security-headers.conf "${VITE_API_URL}" "${VITE_WS_URL}"
COPY compose/nginx/resolver.conf.template /etc/nginx/templates/00-resolver.conf.template
# TLS (README, "TLS"): tls-watch.sh renders tls.conf.template into /etc/nginx/fibernode-tls/ when the `certs`
# volume holds a certificate for DOMAIN, and reloads nginx when it changes. Run by the entrypoint before nginx.
ENV SSL_METHOD=none DOMAIN="" TLS_CHECK_SECONDS=300
COPY compose/nginx/tls.conf.template /etc/nginx/templates-tls/tls.conf.template
COPY compose/nginx/tls-watch.sh /docker-entrypoint.d/40-fibernode-tls.sh
RUN mkdir -p /etc/nginx/fibernode-tls /var/www/acme
COPY --from=build /app/frontend/dist /usr/share/nginx/html
# The config is checked here, where neither api nor flower resolves: it must not need them to load.
# hadolint ignore=SC2016
RUN envsubst '$NGINX_RESOLVER' < /etc/nginx/templates/00-resolver.conf.template > /etc/nginx/conf.d/00-resolver.conf \
    && nginx -t
