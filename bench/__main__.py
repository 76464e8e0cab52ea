"""Run the bench scripts in their fixed order and fail loudly if any failed: `python -m bench [NAME...]`.

    python -m scripts.devenv exec -- .venv/bin/python -m bench                 # what `make bench` runs
    python -m scripts.devenv exec -- .venv/bin/python -m bench bench_reports   # only some, still in order

seed_large first: it recreates the 100k-customer data set `<name>_bench` that bench_reports, bench_generation
(which rolls its writes back) and bench_export read. bench_csv_import works in a database of its own, and any
other bench/*.py runs after these, alphabetically. If seed_large fails the rest is skipped (they would measure
nothing); any other failure does not stop the run, so every script prints its figures, and the exit status is 1
with the failed scripts named at the end.

Every `BUDGET <name> <measured> <target> PASS|FAIL` line a script prints (bench/_budget.py) is repeated at the
end, and one FAIL makes the exit status 1 too.
"""

import subprocess
import sys
import time
from pathlib import Path

from bench._budget import parse

ORDER = ["seed_large", "bench_reports", "bench_generation", "bench_export", "bench_csv_import"]
SEED = "seed_large"


def scripts() -> list[str]:
    """Every bench script: the known ones in ORDER, then the others alphabetically."""
    found = sorted(path.stem for path in Path(__file__).parent.glob("*.py") if not path.stem.startswith("_"))
    return [name for name in ORDER if name in found] + [name for name in found if name not in ORDER]


def main(argv: list[str]) -> int:
    names = scripts()
    if unknown := [name for name in argv if name not in names]:
        print(f"unknown bench script(s): {', '.join(unknown)}; known: {', '.join(names)}", file=sys.stderr)
        return 2
    if argv:
        names = [name for name in names if name in argv]
    failed, timings, budgets = [], [], []
    for name in names:
        print(f"\033[1m==>\033[0m bench/{name}.py", flush=True)
        started = time.perf_counter()
        code = _run(name, budgets)
        timings.append((name, time.perf_counter() - started, code))
        if code != 0:
            failed.append(name)
            print(f"\033[1;31mbench/{name}.py failed (exit {code})\033[0m", file=sys.stderr, flush=True)
            if name == SEED:
                print("the other scripts need its data: stopping", file=sys.stderr)
                break
    if budgets:
        print("\nbudgets:")
        for line, _passed in budgets:
            print(line)
    if over := [line.split()[1] for line, passed in budgets if not passed]:
        print(f"\033[1;31mOVER BUDGET: {', '.join(over)}\033[0m", file=sys.stderr)
    print("\nbench scripts: " + ", ".join(f"{name} {seconds:.0f} s{'' if code == 0 else ' FAILED'}"
                                          for name, seconds, code in timings))
    if failed:
        print(f"\033[1;31mFAILED: {', '.join(failed)}\033[0m", file=sys.stderr)
    return 1 if failed or over else 0


def _run(name: str, budgets: list[tuple[str, bool]]) -> int:
    """Run one script, passing its output through as it comes and keeping its budget lines."""
    with subprocess.Popen([sys.executable, "-m", f"bench.{name}"], stdout=subprocess.PIPE, text=True,
                          bufsize=1) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if (found := parse(line)) is not None:
                budgets.append((line.rstrip("\n"), found[1]))
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
