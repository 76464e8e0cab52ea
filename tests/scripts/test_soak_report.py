"""The soak's verdict: which fault explains a restart, and what a process said before it exited on its own."""

from scripts.soak.faults import Fault, Schedule
from scripts.soak.report import last_words


def schedule_with(*faults: Fault) -> Schedule:
    schedule = Schedule(stack=None, duration=0, log=print)  # type: ignore[arg-type]
    schedule.faults.extend(faults)
    return schedule


def test_a_kill_explains_only_its_own_target_but_redis_and_postgres_any_process():
    schedule = schedule_with(Fault("kill -9 api", "api", start=100, end=101),
                             Fault("kill -9 redis", "redis", start=200, end=201.5),
                             Fault("restart postgres", "postgres", start=300, end=306))
    assert schedule.window_of(110, 60, process="api").name == "kill -9 api"
    assert schedule.window_of(110, 60, process="worker") is None
    # Valkey killed: the worker, beat or the WA worker may lose their connection with it.
    assert schedule.window_of(230, 60, process="worker").name == "kill -9 redis"
    assert schedule.window_of(330, 60, process="beat").name == "restart postgres"
    assert schedule.window_of(400, 60, process="worker") is None


def test_last_words_are_the_lines_before_an_exit_of_its_own(tmp_path):
    log = tmp_path / "stack.log"
    log.write_text("13:00:00 worker | before the kill\n"
                   "13:00:01 api    | not the worker\n"
                   "devenv: worker exited (signal 9); restarting in 1 s (restart 1)\n"
                   "13:00:02 worker | Unrecoverable error: ResponseError('LOADING')\n"
                   "13:00:02 worker | Traceback (most recent call last):\n"
                   "devenv: worker exited (code 1); restarting in 1 s (restart 2)\n")
    assert last_words(log, "worker") == ["13:00:02 worker | Unrecoverable error: ResponseError('LOADING')",
                                         "13:00:02 worker | Traceback (most recent call last):",
                                         "devenv: worker exited (code 1); restarting in 1 s (restart 2)"]
    assert last_words(log, "api") == []
    assert last_words(tmp_path / "missing.log", "worker") == []
