"""The product's long-running processes and the one-off steps (migrate, seed) before them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.devenv.common import DATA, FLOWER_PORT, REPO, DevenvError, say


@dataclass(frozen=True)
class Proc:
    name: str
    command: str
    e2e: bool = False  # also started for the browser tests


# One line per long-running process. `{python}` is this interpreter, `{data}` the data folder.
PROCESSES = (
    Proc("api", "{python} -m api", e2e=True),
    Proc(
        "worker",
        "{python} -m celery -A worker.celery_app worker -Q default,imports,billing,exports -c 2 --loglevel=info",
        e2e=True,
    ),
    Proc(
        "beat", "{python} -m celery -A worker.celery_app beat --loglevel=info -s {data}/celerybeat-schedule"
    ),
    # WhatsApp clients and their sender loops (WA_TRANSPORT picks neonize or the simulator).
    Proc("wa", "{python} -m worker.wa", e2e=True),
    Proc(
        "flower",
        "{python} -m celery -A worker.celery_app flower --address=127.0.0.1"
        f" --port={FLOWER_PORT} --url_prefix=flower --conf=worker/flowerconfig.py",
    ),
)

# Files the process group needs; checked up front so a missing piece is one clear line, not a traceback.
REQUIRED = {
    "api/__main__.py": "`python -m api`",
    "worker/celery_app.py": "the Celery app",
    "alembic.ini": "migrations",
    "shared/seed.py": "`python -m shared.seed`",
}


def check_required(names=REQUIRED) -> None:
    missing = [f"{path} ({why})" for path, why in names.items() if not (REPO / path).exists()]
    if missing:
        raise DevenvError("not written yet: " + "; ".join(missing))


def child_env(services: dict[str, str], **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=services["DATABASE_URL"], REDIS_URL=services["REDIS_URL"], PYTHONUNBUFFERED="1")
    env["DATA_DIR"] = str(DATA)  # uploads, exports and beat's schedule land next to the services' data
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def run_step(args: list[str], env: dict[str, str], label: str) -> None:
    say(label)
    result = subprocess.run(args, env=env, cwd=REPO, check=False)
    if result.returncode != 0:
        raise DevenvError(f"{label} failed (exit {result.returncode})")


def migrate(env: dict[str, str]) -> None:
    run_step([sys.executable, "-m", "alembic", "upgrade", "head"], env, "alembic upgrade head")


def seed(env: dict[str, str]) -> None:
    run_step([sys.executable, "-m", "shared.seed"], env, "python -m shared.seed")


def command_line(proc: Proc) -> str:
    """The shell line of `proc` (without `exec`)."""
    return proc.command.format(python=sys.executable, data=DATA)
