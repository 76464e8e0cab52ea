"""LOG_LEVEL decides what each process writes: the api (and gunicorn's lines), Celery worker and beat, Flower."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from shared.config import REPO_ROOT, Settings
from shared.logs import HANDLER_NAME, configure_logging

PROBES = """
import logging
for name in {loggers!r}:
    logging.getLogger(name).debug("probe-debug " + name)
    logging.getLogger(name).info("probe-info " + name)
    logging.getLogger(name).warning("probe-warning " + name)
"""


def run(code: str, level: str) -> list[dict]:
    """Run `code` as a fresh process with LOG_LEVEL=level and JSON lines; its log lines, parsed."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LOG_", "FLOWER_"))}
    env = {**base, "LOG_LEVEL": level, "LOG_FORMAT": "json", "SOCKETIO_MESSAGE_QUEUE": "false",
           "RATE_LIMIT_ENABLED": "false"}
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in (result.stdout + result.stderr).splitlines() if line.startswith("{")]
    assert lines, (result.stdout, result.stderr)
    return lines


def events(lines: list[dict]) -> set[str]:
    return {line["event"] for line in lines}


API = """
from api.app import create_app
from shared.config import get_settings
app = create_app(get_settings())
assert app.test_client().get("/api/tidak-ada").status_code == 404
""" + PROBES.format(loggers=["api.probe"])


@pytest.mark.parametrize("level", ["warning", "DEBUG"])
def test_the_api_logs_at_log_level(level):
    lines = run(API, level)
    access = [line for line in lines if line.get("logger") == "api.access"]
    if level == "warning":
        assert events(lines) >= {"probe-warning api.probe"}
        assert not access and not events(lines) & {"probe-info api.probe", "probe-debug api.probe"}
    else:
        assert access and access[0]["path"] == "/api/tidak-ada"
        assert events(lines) >= {"probe-debug api.probe", "probe-info api.probe", "probe-warning api.probe"}


WORKER = """
from worker.celery_app import celery
celery.log.setup(loglevel="INFO", redirect_stdouts=False)  # what `celery worker --loglevel=info` does
""" + PROBES.format(loggers=["celery.worker", "worker.tasks.billing"])


@pytest.mark.parametrize("level", ["WARNING", "debug"])
def test_the_celery_worker_and_beat_log_at_log_level_whatever_their_loglevel_option(level):
    got = events(run(WORKER, level))
    assert {"probe-warning celery.worker", "probe-warning worker.tasks.billing"} <= got
    quieter = {"probe-info celery.worker", "probe-debug celery.worker", "probe-debug worker.tasks.billing"}
    assert (quieter <= got) if level == "debug" else not (quieter & got)


FLOWER = """
import worker.celery_app  # celery loads the app before Flower parses its options
import flower.options  # noqa: F401
from flower.command import apply_options, setup_logging
from tornado.options import options
apply_options("flower", ["--conf=worker/flowerconfig.py", "--port=5999", "--url_prefix=flower"])
setup_logging()
import logging
assert [h.name for h in logging.getLogger().handlers] == ["fibernode"], logging.getLogger().handlers
print(options.logging)
""" + PROBES.format(loggers=["flower.command"])


@pytest.mark.parametrize("level", ["WARNING", "DEBUG"])
def test_flower_logs_at_log_level_through_the_same_handler(level):
    got = events(run(FLOWER, level))
    assert "probe-warning flower.command" in got
    assert ("probe-debug flower.command" in got) is (level == "DEBUG")


def test_gunicorns_own_level_gives_way_to_log_level():
    stream = io.StringIO()
    root, level = logging.getLogger(), logging.getLogger().level
    gunicorn = logging.getLogger("gunicorn.error")
    gunicorn.setLevel(logging.INFO)  # gunicorn's --log-level info, before the app is loaded
    handler = configure_logging("WARNING", json=True, stream=stream)
    try:
        gunicorn.info("Booting worker with pid: 1")
        gunicorn.warning("Worker timeout")
        logging.getLogger("werkzeug").info(" * Running on http://127.0.0.1:8000")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
    assert [json.loads(line)["event"] for line in stream.getvalue().splitlines()] == ["Worker timeout"]
    assert handler.name == HANDLER_NAME


@pytest.mark.parametrize("value", ["verbose", "5", "trace"])
def test_an_unknown_log_level_is_refused_at_start(value):
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        Settings(log_level=value)
    assert Settings(log_level="warn").log_level == "WARNING"


WA = """
import worker.wa.__main__ as wa


def started(*_args, **_kwargs):
    # Where the WA worker would connect its numbers: logging is set up by now; stop here.
""" + "\n".join("    " + line for line in PROBES.format(loggers=["worker.wa"]).strip().splitlines()) + """
    raise SystemExit(0)


wa.build_transport = started
wa.main()
"""


@pytest.mark.parametrize("level", ["WARNING", "DEBUG"])
def test_the_wa_worker_logs_at_log_level(level):
    got = events(run(WA, level))
    assert "probe-warning worker.wa" in got
    assert ({"probe-info worker.wa", "probe-debug worker.wa"} <= got) is (level == "DEBUG")
    assert not ({"probe-info worker.wa", "probe-debug worker.wa"} & got) or level == "DEBUG"
