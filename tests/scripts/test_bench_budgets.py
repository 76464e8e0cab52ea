"""`python -m bench` repeats every script's BUDGET lines at the end and fails on one FAIL (bench/_budget.py)."""

import os
import subprocess
import sys
import textwrap

import pytest

from bench import __main__ as bench_main
from bench._budget import budget, parse


def test_budget_lines_say_pass_or_fail_by_direction(capsys):
    assert budget("search.p95", 12.5, 20, unit="ms") is True
    assert budget("export.seconds", 25, 20, unit="s") is False
    assert budget("http.rps", 300, 200, unit="req/s", higher=True) is True
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["BUDGET search.p95 12.5ms <20ms PASS", "BUDGET export.seconds 25s <20s FAIL",
                     "BUDGET http.rps 300req/s >=200req/s PASS"]
    assert [parse(line) for line in lines] == [("search.p95", True), ("export.seconds", False), ("http.rps", True)]
    assert parse("BUDGET of the month") is None and parse("p95 12 ms") is None


@pytest.fixture
def fake_scripts(tmp_path, monkeypatch):
    """Two bench scripts in a scratch package: one within budget, one over it."""
    package = tmp_path / "fakebench"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "fast.py").write_text(textwrap.dedent("""
        from bench._budget import budget
        print("some figures")
        budget("fast.p95", 3, 20, unit="ms")
    """))
    (package / "slow.py").write_text(textwrap.dedent("""
        from bench._budget import budget
        budget("slow.seconds", 30, 20, unit="s")
    """))
    monkeypatch.setattr(bench_main, "scripts", lambda: ["fast", "slow"])
    real_popen = subprocess.Popen

    def popen(argv, **kwargs):
        assert argv[:2] == [sys.executable, "-m"]
        module = "fakebench." + argv[2].removeprefix("bench.")
        env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{os.getcwd()}"}
        return real_popen([sys.executable, "-m", module], env=env, **kwargs)

    monkeypatch.setattr(bench_main.subprocess, "Popen", popen)


def test_a_failed_budget_fails_the_run_and_every_line_is_repeated(fake_scripts, capsys):
    assert bench_main.main([]) == 1
    captured = capsys.readouterr()
    summary = captured.out.split("budgets:")[1]
    assert "BUDGET fast.p95 3ms <20ms PASS" in summary and "BUDGET slow.seconds 30s <20s FAIL" in summary
    assert "OVER BUDGET: slow.seconds" in captured.err


def test_every_budget_within_target_passes(fake_scripts, capsys):
    assert bench_main.main(["fast"]) == 0
    assert "BUDGET fast.p95 3ms <20ms PASS" in capsys.readouterr().out
