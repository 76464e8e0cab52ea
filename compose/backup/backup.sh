#!/bin/sh
# FiberNode's compose backups, in the db-backup image (compose/backup.Dockerfile: postgres:16-alpine, so pg_dump
# matches the server, plus rclone). PG* variables say which database; README "Backups" is the runbook.
#
#   backup.sh                    nightly at BACKUP_AT (container time zone, TZ), forever
#   backup.sh once               one backup now
#   backup.sh restore FILE [--yes]   replace the database (and the uploads, if writable here) with a set
#
# A set is two files sharing a stamp, the layout `make backup` writes too (scripts/devenv/backup.py):
#   fibernode-YYYYmmdd-HHMMSS.dump            pg_dump --format=custom --no-owner
#   fibernode-YYYYmmdd-HHMMSS.uploads.tar.gz  the uploaded logos (UPLOADS_DIR) as uploads/...
# Every run's result goes into the backup_runs table; /api/health warns the superadmin when the newest good run
# is older than 36 hours, which also covers a night whose failure could not be recorded.
set -eu

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-7}"
BACKUP_AT="${BACKUP_AT:-02:30}"  # HH:MM, container time zone (TZ)
BACKUP_RCLONE_REMOTE="${BACKUP_RCLONE_REMOTE:-}"  # any rclone target (`remote:bucket/path`, a mounted path...)
UPLOADS_DIR="${UPLOADS_DIR:-/appdata/uploads}"  # the app's data volume, read-only here, holds uploads/

case "$BACKUP_KEEP_DAYS" in
    '' | *[!0-9]*) echo "backup: BACKUP_KEEP_DAYS must be a whole number of days, not '$BACKUP_KEEP_DAYS'" >&2; exit 2 ;;
esac

# record OK FILE SIZE OFF_HOST ERROR STARTED_EPOCH: one row in backup_runs; never fails the backup itself.
record() {
    printf '%s\n' "INSERT INTO backup_runs (source, started_at, ok, file, size_bytes, off_host, error)
        VALUES ('compose', to_timestamp(:started), :ok, NULLIF(:'file', ''), NULLIF(:'size', '')::bigint,
                NULLIF(:'off_host', ''), NULLIF(:'error', ''));" \
        | psql -X -q -v ON_ERROR_STOP=1 -v ok="$1" -v file="$2" -v size="$3" -v off_host="$4" -v error="$5" \
            -v started="$6" -d "${PGDATABASE:-fibernode}" >/dev/null 2>"$BACKUP_DIR/.record-error" \
        || echo "backup: could not record the run in backup_runs: $(tail -c 500 "$BACKUP_DIR/.record-error")" >&2
    rm -f "$BACKUP_DIR/.record-error"
}

# prune STAMP: delete sets at least BACKUP_KEEP_DAYS days old, never the set STAMP just written (not even at 0).
prune() {
    if [ "$BACKUP_KEEP_DAYS" -gt 0 ]; then
        age="-mtime +$((BACKUP_KEEP_DAYS - 1))"
    else
        age=""
    fi
    # shellcheck disable=SC2086  # $age is zero or two words on purpose
    find "$BACKUP_DIR" -maxdepth 1 -type f \( -name 'fibernode-*.dump' -o -name 'fibernode-*.uploads.tar.gz' \) \
        ! -name "fibernode-$1.*" $age -print -delete | sed 's/^/backup: removed /'
}

# off_host STAMP: copy the set to BACKUP_RCLONE_REMOTE and prune it there the same way.
off_host() {
    remote="${BACKUP_RCLONE_REMOTE%/}"
    for file in "$BACKUP_DIR/fibernode-$1.dump" "$BACKUP_DIR/fibernode-$1.uploads.tar.gz"; do
        rclone copyto "$file" "$remote/$(basename "$file")" || return 1
    done
    rclone delete "$remote" --min-age "${BACKUP_KEEP_DAYS}d" --filter "- fibernode-$1.*" \
        --filter "+ fibernode-*" --filter "- *" || return 1
}

tar_uploads() {
    if [ -d "$UPLOADS_DIR" ]; then
        tar -czf "$1" -C "$(dirname "$UPLOADS_DIR")" "$(basename "$UPLOADS_DIR")"
    else  # nothing uploaded yet: an empty uploads/, so a restore empties the folder as it was
        empty=$(mktemp -d)
        mkdir "$empty/uploads"
        tar -czf "$1" -C "$empty" uploads
        rm -rf "$empty"
    fi
}

dump() {
    started=$(date +%s)
    stamp=$(date +%Y%m%d-%H%M%S)
    target="$BACKUP_DIR/fibernode-$stamp.dump"
    tarball="$BACKUP_DIR/fibernode-$stamp.uploads.tar.gz"
    error=""
    copied=""
    # Custom format: compressed, and pg_restore can restore single tables.
    if ! pg_dump --format=custom --no-owner --file="$target.partial" "${PGDATABASE:-fibernode}" 2>"$BACKUP_DIR/.error"; then
        error="pg_dump failed: $(tail -c 1500 "$BACKUP_DIR/.error")"
    elif ! tar_uploads "$tarball.partial" 2>"$BACKUP_DIR/.error"; then
        error="tar of $UPLOADS_DIR failed: $(tail -c 1500 "$BACKUP_DIR/.error")"
    else
        mv "$target.partial" "$target"
        mv "$tarball.partial" "$tarball"
        echo "backup: wrote $target ($(du -h "$target" | cut -f1)) and $(basename "$tarball")"
        prune "$stamp"
        if [ -n "$BACKUP_RCLONE_REMOTE" ]; then
            if off_host "$stamp" 2>"$BACKUP_DIR/.error"; then
                copied="$BACKUP_RCLONE_REMOTE"
                echo "backup: copied to $BACKUP_RCLONE_REMOTE"
            else
                error="rclone copy to $BACKUP_RCLONE_REMOTE failed (the set is kept here): $(tail -c 1500 "$BACKUP_DIR/.error")"
            fi
        fi
    fi
    rm -f "$target.partial" "$tarball.partial" "$BACKUP_DIR/.error"
    if [ -n "$error" ]; then
        echo "backup: FAILED: $error" >&2
        record false "" "" "" "$error" "$started"
        return 1
    fi
    touch "$BACKUP_DIR/.last-success"  # the container's healthcheck reads its age
    record true "$(basename "$target")" "$(stat -c %s "$target")" "$copied" "" "$started"
}

# restore FILE [--yes]: the set goes into <db>_restore first; only a complete pg_restore replaces the database,
# whose old self stays as <db>_before_restore until the next restore.
restore() {
    file="${1:-}"
    [ -n "$file" ] && [ -f "$file" ] || { echo "restore: usage: restore /backups/fibernode-...dump [--yes]; sets:" >&2; ls -1t "$BACKUP_DIR" >&2; exit 2; }
    db="${PGDATABASE:-fibernode}"
    if [ -f "${file%.dump}.uploads.tar.gz" ] && ! [ -w "$(dirname "$UPLOADS_DIR")" ]; then
        echo "restore: $(dirname "$UPLOADS_DIR") is read-only in this container; use: docker compose run --rm db-restore $file" >&2
        exit 2
    fi
    if [ "${2:-}" != "--yes" ]; then
        echo "The database $db and the uploaded logos will be replaced by $(basename "$file")."
        echo "Stop the app first: docker compose stop api worker beat wa-worker flower"
        printf 'Ketik YA untuk melanjutkan: '
        read -r answer || answer=""
        [ "$answer" = "YA" ] || { echo "restore: cancelled" >&2; exit 1; }
    fi
    staging="${db}_restore"
    previous="${db}_before_restore"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$staging\" WITH (FORCE)" \
        -c "CREATE DATABASE \"$staging\""
    if ! pg_restore --no-owner --exit-on-error --dbname="$staging" "$file"; then
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$staging\" WITH (FORCE)"
        echo "restore: pg_restore failed; $db is untouched" >&2
        exit 1
    fi
    # The backup history is newer than the dump: carry it over, so health does not see an older last backup.
    runs=$(mktemp)
    if psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "\\copy (SELECT id, source, started_at, finished_at, ok, file, size_bytes, off_host, error FROM backup_runs) TO '$runs'" 2>/dev/null; then
        psql -X -q -v ON_ERROR_STOP=1 -d "$staging" >/dev/null <<SQL || echo "restore: backup history not carried over" >&2
CREATE TEMP TABLE carried (LIKE backup_runs);
\\copy carried (id, source, started_at, finished_at, ok, file, size_bytes, off_host, error) FROM '$runs'
INSERT INTO backup_runs (id, source, started_at, finished_at, ok, file, size_bytes, off_host, error)
    SELECT id, source, started_at, finished_at, ok, file, size_bytes, off_host, error FROM carried
    ON CONFLICT (id) DO NOTHING;
SQL
    fi
    rm -f "$runs"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres \
        -c "DROP DATABASE IF EXISTS \"$previous\" WITH (FORCE)" \
        -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()" \
        -c "ALTER DATABASE \"$db\" RENAME TO \"$previous\"" \
        -c "ALTER DATABASE \"$staging\" RENAME TO \"$db\"" >/dev/null
    echo "restore: database $db restored from $(basename "$file"); the previous one is kept as $previous"
    restore_uploads "${file%.dump}.uploads.tar.gz"
}

restore_uploads() {
    if [ ! -f "$1" ]; then
        echo "restore: no $(basename "$1") beside the dump: uploads left as they are"
    else
        rm -rf "$UPLOADS_DIR.restoring" "$UPLOADS_DIR.before-restore"
        mkdir -p "$UPLOADS_DIR.restoring"
        tar -xzf "$1" -C "$UPLOADS_DIR.restoring"
        if [ -e "$UPLOADS_DIR" ]; then mv "$UPLOADS_DIR" "$UPLOADS_DIR.before-restore"; fi
        mv "$UPLOADS_DIR.restoring/$(basename "$UPLOADS_DIR")" "$UPLOADS_DIR"
        rm -rf "$UPLOADS_DIR.restoring"
        echo "restore: $UPLOADS_DIR restored from $(basename "$1"); the previous one is kept as $UPLOADS_DIR.before-restore"
    fi
}

seconds_until() {
    now=$(date +%s)
    next=$(date -d "$1" +%s)  # today at HH:MM (GNU and BusyBox date)
    [ "$next" -gt "$now" ] || next=$((next + 86400))
    echo $((next - now))
}

case "${1:-}" in
    restore)
        shift
        restore "$@"
        exit
        ;;
    once)
        mkdir -p "$BACKUP_DIR"
        dump
        exit
        ;;
esac

mkdir -p "$BACKUP_DIR"
touch "$BACKUP_DIR/.started"  # healthy for a day after start, before the first night's dump
echo "backup: daily at $BACKUP_AT, keeping $BACKUP_KEEP_DAYS days in $BACKUP_DIR${BACKUP_RCLONE_REMOTE:+, copied to $BACKUP_RCLONE_REMOTE}"
while true; do
    sleep "$(seconds_until "$BACKUP_AT")"
    dump || true  # a failed night is logged and recorded; try again tomorrow
done
