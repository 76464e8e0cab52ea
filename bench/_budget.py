"""One line per performance budget, the same in every bench script: `BUDGET <name> <measured> <target> PASS|FAIL`.

    from bench._budget import budget
    budget("search.customers.superadmin.p95", 12.3, 20, unit="ms")           # lower is better
    budget("http.customers.c16.rps", 410, 200, unit="req/s", higher=True)    # higher is better

`python -m bench` (what `make bench` runs) collects these lines from every script's output, repeats them at the
end, and exits non-zero when any says FAIL. A script may also fail on its own (exit non-zero) when it cannot
measure at all.
"""

import sys

PREFIX = "BUDGET"


def budget(name: str, measured: float, target: float, *, unit: str = "", higher: bool = False) -> bool:
    """Print the budget line for one figure; True when it passes (`<` target, or `>=` with higher=True)."""
    passed = measured >= target if higher else measured < target
    sign = ">=" if higher else "<"
    print(f"{PREFIX} {name} {measured:.6g}{unit} {sign}{target:g}{unit} {'PASS' if passed else 'FAIL'}", flush=True)
    return passed


def parse(line: str) -> tuple[str, bool] | None:
    """(name, passed) of a budget line, None for any other line."""
    parts = line.split()
    if len(parts) != 5 or parts[0] != PREFIX or parts[4] not in ("PASS", "FAIL"):
        return None
    return parts[1], parts[4] == "PASS"


if __name__ == "__main__":  # pragma: no cover
    sys.exit("bench/_budget.py is a module; use `python -m bench`")
