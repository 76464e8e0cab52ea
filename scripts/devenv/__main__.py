"""The devenv command line: `python -m scripts.devenv CMD` (see the package docstring)."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys

import scripts.devenv as package
from scripts.devenv import services as svc
from scripts.devenv.common import DB_NAME, REPO, RUN_DIR, DevenvError, say
from scripts.devenv.processes import check_required, child_env, migrate, seed
from scripts.devenv.status import format_status, read_status


def print_exports(services: dict[str, str]) -> None:
    for key in ("DATABASE_URL", "REDIS_URL"):
        print(f"export {key}='{services[key]}'", flush=True)


def cmd_run(args) -> int:
    from scripts.devenv.run import cmd_run as run

    return run(args)


def cmd_e2e(args) -> int:
    from scripts.devenv.e2e import cmd_e2e as e2e

    return e2e(args)


def cmd_status(_args) -> int:
    document = read_status(RUN_DIR / "status.json")
    if document is None:
        raise DevenvError(f"no {RUN_DIR / 'status.json'}: `python -m scripts.devenv run` is not running here")
    print(format_status(document, RUN_DIR))
    return 0


def cmd_services(_args) -> int:
    services = svc.ensure_services()
    print_exports(services)
    for line in svc.embedded_summary(services):
        say(line)
    say("services running; Ctrl-C stops them")
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.signal(signal.SIGINT, signal.default_int_handler)  # `&` in scripts starts us with it ignored
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    signal.sigwait(stop_signals)
    svc.stop_services()
    return 0


def cmd_env(_args) -> int:
    info = svc.running_postmaster()
    port = svc.running_valkey()
    if info is None or info.socket_dir is None or port is None:
        raise DevenvError(
            "embedded services are not running; start them with `python -m scripts.devenv services`"
        )
    print_exports(
        {"DATABASE_URL": svc.pg_url(info.socket_dir, DB_NAME), "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    )
    return 0


def cmd_exec(args) -> int:
    if not args.command:
        raise DevenvError("usage: python -m scripts.devenv exec -- COMMAND...")
    env = child_env(svc.ensure_services())
    return subprocess.run(args.command, env=env, cwd=REPO, check=False).returncode


def cmd_migrate(_args) -> int:
    check_required({"alembic.ini": "migrations"})
    migrate(child_env(svc.ensure_services()))
    return 0


def cmd_seed(_args) -> int:
    check_required({"shared/seed.py": "`python -m shared.seed`"})
    seed(child_env(svc.ensure_services()))
    return 0


def cmd_stop(_args) -> int:
    """Stop embedded services, whoever started them."""
    svc.stop_all_embedded()
    return 0


def cmd_backup(args) -> int:
    from scripts.devenv.backup import cmd_backup as backup

    return backup(args)


def cmd_restore(args) -> int:
    from scripts.devenv.backup import cmd_restore as restore

    return restore(args)


COMMANDS = {
    "run": cmd_run,
    "status": cmd_status,
    "services": cmd_services,
    "env": cmd_env,
    "exec": cmd_exec,
    "migrate": cmd_migrate,
    "seed": cmd_seed,
    "stop": cmd_stop,
    "e2e": cmd_e2e,
    "backup": cmd_backup,
    "restore": cmd_restore,
}


def _raise_on_sigterm() -> None:
    def handler(signum, frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.devenv", description=package.__doc__.splitlines()[0])
    parser.add_argument("cmd", choices=COMMANDS)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="for exec/e2e: the command after --")
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    _raise_on_sigterm()  # `run` replaces it once its supervisor is in charge
    try:
        return COMMANDS[args.cmd](args)
    except DevenvError as error:
        say(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        svc.stop_services()


if __name__ == "__main__":
    sys.exit(main())
