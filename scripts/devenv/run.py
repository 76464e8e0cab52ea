"""`devenv run`: services, migrate, seed, then the supervised process group until Ctrl-C."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from scripts.devenv import services as svc
from scripts.devenv.common import API_PORT, FLOWER_PORT, LOGINS, REPO, RUN_DIR, say
from scripts.devenv.processes import PROCESSES, check_required, child_env, command_line, migrate, seed
from scripts.devenv.supervisor import Command, Printer, Service, Supervisor


def wa_transport_label() -> str:
    from shared.config import get_settings

    if get_settings().wa_transport == "simulator":
        return "SIMULATOR — tidak ada pesan yang benar-benar dikirim"
    return "neonize (nomor asli)"


def banner(services: dict[str, str]) -> str:
    base = f"http://localhost:{API_PORT}"
    rows = [
        ("App", base),
        ("API docs", f"{base}/api/docs"),
        ("Flower", f"http://localhost:{FLOWER_PORT}/flower"),
        ("WhatsApp", wa_transport_label()),
        ("Logins", ", ".join(f"{user} / {password}" for user, password in LOGINS)),
        *(("Services", line) for line in svc.embedded_summary(services)),
        ("Status", f"{RUN_DIR / 'status.json'} (python -m scripts.devenv status)"),
        ("Hold", f"touch {RUN_DIR}/hold-<name> stops one process until the file is removed"),
    ]
    width = max(len(label) for label, _ in rows)
    body = "\n".join(f"  {label.ljust(width)}  {value}" for label, value in rows)
    rule = "-" * 72
    return (f"{rule}\n  FiberNode Internet (Ctrl-C stops everything; a process that exits is restarted)\n"
            f"{body}\n{rule}")


def _banner_when_healthy(services: dict[str, str], stop: threading.Event) -> None:
    # Printed once the API answers, so it is the last thing on screen rather than scrolled away.
    while not stop.is_set():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{API_PORT}/api/health", timeout=1):
                break
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    else:
        return
    print(banner(services), flush=True)


def _stop_when_orphaned() -> None:
    """SIGTERM ourselves when our parent (make, a terminal) dies without telling us, so nothing lingers."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        say("parent process ended: stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def service_units(services: dict[str, str]) -> list[Service]:
    """The embedded services, watched and restarted like the processes (not those given by URL)."""
    units = []
    if "DATABASE_URL" not in os.environ:
        # SIGINT is PostgreSQL's fast shutdown; its SIGTERM would wait for every pooled connection.
        units.append(Service("postgres", start=svc.restart_postgres, current=svc.postgres_pid,
                             stop_signal=signal.SIGINT, kill_signal=signal.SIGQUIT))
    if "REDIS_URL" not in os.environ:
        port = urllib.parse.urlsplit(services["REDIS_URL"]).port
        units.append(Service("redis", start=lambda: svc.restart_valkey(port), current=svc.valkey_process))
    return units


def cmd_run(_args) -> int:
    check_required()
    # Until the supervisor takes over, a Ctrl-C or SIGTERM ends the steps and stops the services.
    services = svc.ensure_services()
    env = child_env(services)
    migrate(env)
    seed(env)
    printer = Printer(sys.stdout, names=tuple(proc.name for proc in PROCESSES))
    processes = [Command(proc.name, command_line(proc), env=env, cwd=REPO, printer=printer) for proc in PROCESSES]
    supervisor = Supervisor(processes, service_units(services), run_dir=RUN_DIR, on_stopped=svc.stop_services)
    supervisor.install_signal_handlers()
    stop_banner = threading.Event()
    threading.Thread(target=_banner_when_healthy, args=(services, stop_banner), daemon=True).start()
    _stop_when_orphaned()
    try:
        supervisor.run()
    finally:
        stop_banner.set()
    say("stopped")
    return 0
