#!/bin/sh
# Bring the schema up to date (and make sure the superadmin exists), then run the container's command.
# Only the api does this (RUN_MIGRATIONS=true); the other roles start after it is healthy.
set -eu

if [ "${RUN_MIGRATIONS:-false}" = "true" ]; then
    echo "entrypoint: alembic upgrade head"
    alembic upgrade head
    echo "entrypoint: python -m shared.seed"
    python -m shared.seed
fi

exec "$@"
