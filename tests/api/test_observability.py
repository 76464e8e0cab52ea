# ruff: noqa: F811 — the imported wa fixtures are requested as parameters
"""Request ids on every log line (and into the jobs a request enqueues), JSON lines without secrets, /metrics."""

import base64
import io
import json
import logging
import os
import re
import subprocess
import sys
import uuid
from functools import partial

import pytest
from sqlalchemy import func

from shared import jobs, tasknames
from shared.config import REPO_ROOT, Settings, get_settings
from shared.db import session_scope
from shared.logs import HANDLER_NAME, REDACTED, configure_from_settings, configure_logging, wants_json
from shared.models import Job, WaMessageQueue
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401

METRICS_TOKEN = "scraper-" + "7f3a9c" * 6


@pytest.fixture(autouse=True)
def _keep_sqlalchemy_log_level():
    """configure_logging pins SQLAlchemy's logger; the rest of the suite gets it back as it was."""
    sql = logging.getLogger("sqlalchemy.engine")
    level = sql.level
    yield
    sql.setLevel(level)


@pytest.fixture
def log_lines():
    """Everything logged during the test as production writes it: a list of parsed JSON lines, on demand."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("DEBUG", json=True, stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]  # fails if one is not JSON
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def raw_log(log_lines):
    """The same capture as text, to grep for secrets."""
    return lambda: "\n".join(json.dumps(line) for line in log_lines())


def access_lines(lines, path):
    return [line for line in lines if line.get("logger") == "api.access" and line.get("path") == path]


def test_production_and_log_format_choose_json():
    assert wants_json("production", "auto") and not wants_json("development", "auto")
    assert wants_json("development", "json") and not wants_json("production", "console")


def test_development_console_lines_are_human_and_masked_too():
    stream = io.StringIO()
    root, level = logging.getLogger(), logging.getLogger().level
    handler = configure_logging("INFO", json=False, stream=stream)
    try:
        logging.getLogger("careless").info("Authorization: Bearer abc.def.ghi password=%s", "Rahasia123!")
        # The dev server's own request line repeats the access line, query string included: dropped.
        logging.getLogger("werkzeug").info('127.0.0.1 - - [02/Dec/2026 03:57:16] "%s" %s %s\n',
                                           "GET /api/health?x=1 HTTP/1.1", 200, "-")
        logging.getLogger("werkzeug").info(" * Running on http://127.0.0.1:8000")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    out = stream.getvalue()
    assert "careless" in out and "Authorization: Bearer" in out
    assert "Running on" in out and "/api/health" not in out
    assert "Rahasia123!" not in out and "abc.def.ghi" not in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out.splitlines()[0])


def test_log_level_sets_what_every_process_logs():
    root, level = logging.getLogger(), logging.getLogger().level
    sql_level = logging.getLogger("sqlalchemy.engine").level
    handler = configure_from_settings(Settings(log_level="warning", log_format="json"))
    try:
        assert root.level == logging.WARNING and handler in root.handlers
        configure_from_settings(Settings(log_level="DEBUG", log_format="json"))
        assert root.level == logging.DEBUG
        # SQL lines carry their parameters (hashes, message texts): not even DEBUG turns them on.
        assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(sql_level)
        for ours in [h for h in root.handlers if h.name == HANDLER_NAME]:
            root.removeHandler(ours)
        root.setLevel(level)


def test_a_requests_lines_share_its_id_which_the_response_returns(superadmin_client, monkeypatch, log_lines):
    # A failing send after commit logs a warning from inside the request (shared.jobs), beside the access line.
    monkeypatch.setattr(jobs.celery_client(), "send_task",
                        lambda *a, **k: (_ for _ in ()).throw(ConnectionError("gone")))
    res = superadmin_client.post("/api/invoices/generate?period=2092-01", json={},
                                 environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert res.status_code == 202, res.json
    request_id = res.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = log_lines()
    warning = [line for line in lines if line["logger"] == "shared.jobs"]
    assert warning and warning[0]["level"] == "warning" and "not sent to the queue" in warning[0]["event"]
    (access,) = access_lines(lines, "/api/invoices/generate")
    assert {line["request_id"] for line in [*warning, access]} == {request_id}
    assert access["method"] == "POST" and access["status"] == 202 and access["route"] == "/api/invoices/generate"
    assert access["client_ip"] == "203.0.113.9" and access["duration_ms"] >= 0 and access["timestamp"]
    assert "period" not in json.dumps(access)  # the path only, never the query string
    other = superadmin_client.get("/api/health")
    assert other.headers["X-Request-ID"] != request_id
    assert access_lines(log_lines(), "/api/health")[0]["request_id"] == other.headers["X-Request-ID"]


@pytest.mark.parametrize("incoming, kept", [
    ("0f8b2c4d6e8a0b1c2d3e4f5a6b7c8d9e", True),  # nginx's $request_id
    ("lb-7Hk2.x_9", True),
    ("short", False),
    ("a" * 65, False),
    ("abc123456 level=error", False),
    ("${jndi:ldap://x.example/a}", False),
    ('abc123456" admin="1', False),
])
def test_an_incoming_request_id_is_kept_only_when_sane(client, log_lines, incoming, kept):
    res = client.get("/api/health", headers={"X-Request-ID": incoming})
    assert (res.headers["X-Request-ID"] == incoming) is kept
    assert access_lines(log_lines(), "/api/health")[0]["request_id"] == res.headers["X-Request-ID"]


@pytest.fixture
def billing_tasks(monkeypatch, session_factory):
    from worker.tasks import billing

    monkeypatch.setattr(billing, "session_scope", partial(session_scope, session_factory))
    return billing


def test_the_request_id_reaches_the_jobs_worker_lines(superadmin_client, db, billing_tasks, log_lines):
    res = superadmin_client.post("/api/invoices/generate", json={},
                                 headers={"X-Request-ID": "req-generate-0001"})
    assert res.status_code == 202, res.json
    job_id = res.json["jobId"]
    assert db.get(Job, uuid.UUID(job_id)).meta["request_id"] == "req-generate-0001"
    message = json.loads(jobs.redis_client().lrange("billing", 0, -1)[0])
    kwargs = json.loads(base64.b64decode(message["body"]))[1]
    billing_tasks.generate_invoices(**kwargs)  # what the worker runs, in this process
    worker_lines = [line for line in log_lines() if line.get("job_id") == job_id]
    events = [line["event"] for line in worker_lines]
    assert any("started" in event for event in events) and any(event.endswith("done") for event in events)
    assert {line.get("request_id") for line in worker_lines} == {"req-generate-0001"}
    assert superadmin_client.get(f"/api/jobs/{job_id}").json["state"] == "done"
    assert "request_id" not in json.dumps(superadmin_client.get(f"/api/jobs/{job_id}").json)


def test_a_wa_send_is_traced_from_the_request_to_the_wa_workers_line(mitra_client, mitra, wa_state, wa_bus,
                                                                     session_factory, log_lines):
    import random
    from datetime import timedelta

    from shared.timeutil import utcnow
    from shared.wa.sender import SenderLoop
    from tests.wa.conftest import FakeClient, FakeClock

    wa = wa_state(mitra, "connected", phone_number="6281299990000")
    res = mitra_client.post("/api/wa/send-test", json={"phone": "0812 3456 7890"},
                            headers={"X-Request-ID": "req-wa-send-0001"})
    assert res.status_code == 202, res.json
    (queued,) = [line for line in log_lines() if line["event"] == "wa message queued (direct)"]
    assert queued["request_id"] == "req-wa-send-0001" and queued["session_id"] == str(wa.id)
    clock = FakeClock(utcnow() + timedelta(seconds=1))
    loop = SenderLoop(wa.id, mitra.id, FakeClient(clock), session_factory=session_factory, clock=clock,
                      rng=random.Random(1))
    loop.step(idle_cap=None)  # what the WA worker's sender thread does next
    sent = [line for line in log_lines() if line["event"] == "wa message sent"]
    assert [line["queue_id"] for line in sent] == [queued["queue_id"]]
    assert "6281234567890" not in json.dumps(sent)  # the line names the row, not the customer's number


def test_no_password_or_token_reaches_the_logs(client, mitra, raw_log):
    login = client.post("/api/auth/login", json={"username": mitra.username, "password": "Rahasia123!"})
    assert login.status_code == 200, login.json
    access, refresh = login.json["accessToken"], login.json["refreshToken"]
    refreshed = client.post("/api/auth/refresh", json={"refreshToken": refresh})
    assert refreshed.status_code == 200, refreshed.json
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200
    client.get(f"/api/health?token={refresh}&access_token={access}")
    # A careless line of our own, a library's, an exception's: masked on the way out all the same.
    logging.getLogger("careless").warning("login body %s header Bearer %s", {"password": "Rahasia123!"},
                                          refreshed.json["accessToken"])
    import structlog

    structlog.get_logger("careless").info("refresh", refresh_token=refresh, password="Rahasia123!")
    try:
        raise ValueError(f"cannot decode Authorization: Bearer {access}")
    except ValueError:
        logging.getLogger("careless").exception("decode failed")
    text = raw_log()
    assert "/api/auth/refresh" in text and '"logger": "careless"' in text  # the capture did see it all
    for secret in ("Rahasia123!", access, refresh, refreshed.json["accessToken"], refreshed.json["refreshToken"]):
        assert secret not in text
    assert REDACTED in text


# ---------------------------------------------------------------------------------------------
# /metrics


@pytest.fixture
def metrics_token(monkeypatch):
    monkeypatch.setattr(get_settings(), "metrics_token", METRICS_TOKEN)
    return METRICS_TOKEN


def test_metrics_needs_the_scraper_token_or_a_superadmin(client, mitra_client, superadmin_client, metrics_token):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {metrics_token}"}).status_code == 401
    assert mitra_client.get("/metrics").status_code == 403
    scraper = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    assert scraper.status_code == 200 and scraper.mimetype == "text/plain"
    assert superadmin_client.get("/metrics").status_code == 200


def test_metrics_without_a_configured_token_refuses_an_empty_bearer(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "metrics_token", "")
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 401


def test_metrics_count_requests_by_route_template_and_read_jobs_and_wa(superadmin_client, client, db, mitra,
                                                                      superadmin, wa_state, metrics_token):
    customer_id = uuid.uuid4()
    client.get(f"/api/customers/{customer_id}")  # 401, counted under its template, not its id
    client.open("/api/health", method="XYZZY")  # an invented method: one shared label value
    jobs.submit(db, tasknames.GENERATE_INVOICES, job_type="invoices.generate", user_id=superadmin.id,
                period="2092-04")
    wa = wa_state(mitra, "connected")
    for status, sent_at in (("sent", func.now()), ("sent", func.now()), ("pending", None)):
        db.add(WaMessageQueue(session_id=wa.id, phone="6281200000001", content="Halo", status=status,
                              sent_at=sent_at, scheduled_at=func.now()))
    db.flush()
    body = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"}).text
    assert re.search(r'fibernode_http_requests_total\{method="GET",route="/api/customers/<[^>]*>",'
                     r'status="401"\} [1-9]', body), body
    assert str(customer_id) not in body
    assert "XYZZY" not in body and re.search(r'fibernode_http_requests_total\{method="other",', body)
    assert 'fibernode_http_request_duration_seconds_bucket{le="0.005",method="GET",route=' in body
    assert 'fibernode_jobs{queue="billing",state="queued"} 1.0' in body
    assert 'fibernode_jobs{queue="billing",state="done"} 0.0' in body
    assert re.search(r'fibernode_celery_queue_length\{queue="billing"\} [0-9]', body)
    labels = f'mitra="{mitra.username}",session="{wa.id}"'
    assert f"fibernode_wa_sent_24h{{{labels}}} 2.0" in body
    assert f'fibernode_wa_queue{{{labels},status="pending"}} 1.0' in body
    assert f"fibernode_wa_connected{{{labels}}} 1.0" in body


def test_metrics_answer_while_redis_is_down(client, monkeypatch, metrics_token):
    import redis

    monkeypatch.setattr(jobs, "_probe_client", lambda: redis.Redis(port=1, socket_connect_timeout=0.5))
    res = client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    assert res.status_code == 200
    assert "fibernode_redis_up 0.0" in res.text and "fibernode_celery_queue_length{" not in res.text
    assert 'fibernode_jobs{queue="billing",state="queued"} 0.0' in res.text


COUNT_ONE_REQUEST = """
from prometheus_client import generate_latest
from api import observability
observability.REQUESTS.labels("GET", "/api/health", "200").inc()
print(generate_latest(observability._request_registry()).decode())
"""


def test_with_prometheus_multiproc_dir_the_processes_counts_add_up(tmp_path):
    """gunicorn --workers 2: each process writes its own file, a scrape of either sums them."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for expected in ("1.0", "2.0"):
        out = subprocess.run([sys.executable, "-c", COUNT_ONE_REQUEST], cwd=REPO_ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=60).stdout
        assert f'fibernode_http_requests_total{{method="GET",route="/api/health",status="200"}} {expected}' in out


def test_metrics_is_not_in_the_openapi_document(client):
    assert not any(path.startswith("/metrics") for path in client.get("/api/openapi.json").json["paths"])
