"""Run FiberNode on one machine: embedded PostgreSQL and Valkey, migrations, seed, the supervised group.

    python -m scripts.devenv run              # services, migrate, seed, then api + worker + beat + wa + flower
    python -m scripts.devenv status           # the table of what `run` supervises (from status.json)
    python -m scripts.devenv services         # only the services; prints `export` lines, blocks until Ctrl-C
    python -m scripts.devenv env              # `export` lines for services that are already running
    python -m scripts.devenv exec -- CMD...   # run CMD with DATABASE_URL / REDIS_URL set
    python -m scripts.devenv migrate | seed   # one step against the development database
    python -m scripts.devenv e2e -- CMD...    # fresh e2e database, api + worker on a free port, run CMD
    python -m scripts.devenv stop             # stop embedded services left running
    python -m scripts.devenv backup           # database + uploads into .data/backups/ (`make backup`)
    python -m scripts.devenv restore -- FILE [--yes]   # put a set back (`make restore`; refuses while `run` runs)

Embedded services are used only when DATABASE_URL / REDIS_URL are unset. Their data lives in the
data folder (`.data/`, or DATA_DIR) and survives restarts. A process that finds them already running
(another `make run`, a pytest session) reuses them; the last process using them stops them when it exits.

Modules: common (paths, ports); services over postgres and valkey (the embedded servers); processes
(the group, migrate, seed); supervisor (restarts with back-off); status (status.json, hold files); run;
e2e; backup (backup and restore sets); __main__ (the command line).
"""

from scripts.devenv.services import (
    embedded_summary,
    ensure_database,
    ensure_services,
    stop_services,
    with_database,
    with_redis_db,
)

__all__ = [
    "embedded_summary",
    "ensure_database",
    "ensure_services",
    "stop_services",
    "with_database",
    "with_redis_db",
]
