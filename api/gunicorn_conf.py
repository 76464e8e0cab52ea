"""gunicorn settings of the production api: `gunicorn -c python:api.gunicorn_conf api.wsgi:app`.

Workers × threads are sized from the CPUs this process may use (README, "Sizing the api"):

- `GUNICORN_WORKERS` processes, default one per usable CPU: each gthread worker runs Python under its own GIL, so
  one process uses at most one core however many threads it has, and one heavy request stalls the rest of it.
- `GUNICORN_THREADS` threads per worker, default 8: a request spends part of its time waiting on PostgreSQL, during
  which another thread of the same process runs. 8 × workers requests in flight fill 2 cores; more only queue in
  the process, holding database connections (the pool is per process: DB_POOL_SIZE + DB_MAX_OVERFLOW).

Usable CPUs: the process's affinity (`taskset`, `cpuset` of compose's `cpuset:`) and a cgroup v2 CPU quota
(compose's `cpus:`), whichever is smaller; os.cpu_count() alone would see every core of the host.

Socket.IO keeps an Engine.IO session in the process that opened it, and gunicorn gives each request to whichever
worker accepts it first, so with several workers a polling handshake and its next poll could meet different
workers (400 "Invalid session"). A process that serves /socket.io/ must therefore run GUNICORN_WORKERS=1, as
docker-compose.yml's api does (its events from other processes arrive through the Redis message queue); the
per-CPU default is for a process that serves /api only (README, "Sizing the api").
"""

import math
import os
from pathlib import Path

DEFAULT_THREADS = 8
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def usable_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """CPUs this process may run on: its affinity, lowered to a cgroup v2 quota (`max` = none) when one is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def default_workers(cpus: int) -> int:
    """One gthread worker per usable CPU (see the module docstring)."""
    return max(1, cpus)


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    number = int(value)
    if number < 1:
        raise ValueError(f"{name} must be a whole number >= 1, not {value!r}")
    return number


worker_class = "gthread"
workers = _positive("GUNICORN_WORKERS", default_workers(usable_cpus()))
threads = _positive("GUNICORN_THREADS", DEFAULT_THREADS)
bind = [f"{os.environ.get('GUNICORN_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]
# None: the app alone reads forwarded headers, from TRUSTED_PROXY_HOPS proxies; gunicorn would otherwise act on
# X-Forwarded-Proto/-Ssl from whatever peer shares its loopback.
forwarded_allow_ips = ""
# No access log: the app logs each request itself (JSON, with the request id and the real client address).
accesslog = None
