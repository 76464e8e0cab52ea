"""Run the WA worker: `python -m worker.wa` (one long-running process; SIGTERM/SIGINT stop it cleanly)."""

import logging
import signal
import sys
import threading

from shared.config import get_settings
from worker.wa import build_transport
from worker.wa.manager import WaManager


def main() -> int:
    settings = get_settings()
    logging.basicConfig(stream=sys.stdout, level=settings.log_level,
                        format="%(asctime)s %(levelname)s [%(name)s] %(message)s", force=True)
    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        logging.getLogger("worker.wa").info("signal %s: stopping the WA worker", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    WaManager(build_transport(settings.wa_transport)).run(stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
