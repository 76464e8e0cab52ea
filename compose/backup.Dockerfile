# syntax=docker/dockerfile:1.7
# db-backup and db-restore: nightly pg_dump of the database plus a tarball of the uploaded logos, kept
# BACKUP_KEEP_DAYS days, copied off-host with rclone when BACKUP_RCLONE_REMOTE is set; `restore FILE` puts a set
# back (README, "Backups"). The script is in the image, not bind-mounted, so a Portainer stack can run it.
# Build context: the repository root (see docker-compose.yml).

# rclone's official image carries a static binary: no apk package to pin, same version on every build.
FROM rclone/rclone:1.68.2 AS rclone

# pg_dump must not be older than the server: keep this major version equal to the postgres service's image.
FROM postgres:16-alpine
COPY --from=rclone /usr/local/bin/rclone /usr/local/bin/rclone
COPY compose/backup/backup.sh /usr/local/bin/backup.sh
# BusyBox tar and find (in the base image) make the uploads tarball and prune old sets.
# The healthcheck (age of /backups/.last-success) is in docker-compose.yml.
ENTRYPOINT ["/bin/sh", "/usr/local/bin/backup.sh"]
