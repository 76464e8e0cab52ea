"""Run the devenv supervisor over tiny commands, for tests: `python -m tests.scripts.tiny_group RUN_DIR NAME=CMD...`."""

import sys
from pathlib import Path

from scripts.devenv.supervisor import Backoff, Command, Supervisor


def main(argv: list[str]) -> int:
    run_dir, *specs = argv
    processes = [Command(name, command) for name, command in (spec.split("=", 1) for spec in specs)]
    supervisor = Supervisor(processes, run_dir=Path(run_dir), backoff=Backoff(first=0.1, cap=0.8),
                            stop_timeout=2.0, tick=0.05, hold_delay=0.2)
    supervisor.install_signal_handlers()
    supervisor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
