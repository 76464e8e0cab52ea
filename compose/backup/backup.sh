#!/bin/sh
# Nightly pg_dump of the FiberNode database, keeping BACKUP_KEEP_DAYS days of dumps.
# Runs in a postgres:16-alpine container (pg_dump matches the server); PG* variables say where.
set -eu

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-7}"
BACKUP_AT="${BACKUP_AT:-02:30}"  # HH:MM, container time zone (TZ)

dump() {
    stamp=$(date +%Y%m%d-%H%M%S)
    target="$BACKUP_DIR/fibernode-$stamp.dump"
    # Custom format: compressed, and pg_restore can restore single tables.
    if pg_dump --format=custom --no-owner --file="$target.partial" "${PGDATABASE:-fibernode}"; then
        mv "$target.partial" "$target"
        touch "$BACKUP_DIR/.last-success"  # the container's healthcheck reads its age
        echo "backup: wrote $target ($(du -h "$target" | cut -f1))"
    else
        rm -f "$target.partial"
        echo "backup: pg_dump failed" >&2
        return 1
    fi
    find "$BACKUP_DIR" -name 'fibernode-*.dump' -type f -mtime +"$((BACKUP_KEEP_DAYS - 1))" -print -delete \
        | sed 's/^/backup: removed /'
}

seconds_until() {
    now=$(date +%s)
    next=$(date -d "$1" +%s)  # today at HH:MM (GNU and BusyBox date)
    [ "$next" -gt "$now" ] || next=$((next + 86400))
    echo $((next - now))
}

mkdir -p "$BACKUP_DIR"
touch "$BACKUP_DIR/.started"  # healthy for a day after start, before the first night's dump
if [ "${1:-}" = "once" ]; then
    dump
    exit
fi

echo "backup: daily at $BACKUP_AT, keeping $BACKUP_KEEP_DAYS days in $BACKUP_DIR"
while true; do
    sleep "$(seconds_until "$BACKUP_AT")"
    dump || true  # a failed night is logged; try again tomorrow
done
