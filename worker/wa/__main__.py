"""Run the WA worker: `python -m worker.wa` (one long-running process; SIGTERM/SIGINT stop it within 10 s)."""

import logging
import os
import signal
import sys
import threading

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from shared.config import get_settings
from shared.logs import configure_from_settings
from worker.wa import build_transport
from worker.wa.manager import WaManager

# SIGTERM's answer must come within this; docker sends SIGKILL after 10 s.
HARD_EXIT_AFTER = 9.5

log = logging.getLogger("worker.wa")


def main() -> int:
    settings = get_settings()
    configure_from_settings(settings)  # JSON lines in production, console lines in development
    # A bounded pool of its own: however many numbers it runs, the worker needs only a few connections at once.
    # The application name lets pg_stat_activity count them per worker process.
    engine = create_engine(settings.sqlalchemy_url, pool_size=settings.wa_db_pool_size, max_overflow=0,
                           pool_timeout=10, pool_pre_ping=True,
                           connect_args={"options": "-c timezone=UTC",
                                         "application_name": f"fibernode-wa {os.getpid()}"})
    manager = WaManager(build_transport(settings.wa_transport, engine=engine),
                        session_factory=sessionmaker(bind=engine, expire_on_commit=False),
                        stop_deadline=HARD_EXIT_AFTER - 2.0)
    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        log.info("signal %s: stopping the WA worker", signal.Signals(signum).name)
        if not stop.is_set():
            # If the database hangs the release, the leases still expire: leaving late is worse than leaving dirty.
            timer = threading.Timer(HARD_EXIT_AFTER, _hard_exit)
            timer.daemon = True  # a clean stop must not wait for it
            timer.start()
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    manager.run(stop)
    engine.dispose()
    return 0


def _hard_exit() -> None:
    log.error("WA worker did not stop within %.1f s; exiting now", HARD_EXIT_AFTER)
    logging.shutdown()
    os._exit(1)


if __name__ == "__main__":
    sys.exit(main())
