"""Test fixtures: real PostgreSQL and Redis (given by env, else embedded), each test rolled back."""

import os
import socket
import uuid

import pytest


def _configure_services() -> None:
    # Must run before shared.config.get_settings() is first called: the settings are cached.
    from scripts.devenv import ensure_services

    urls = ensure_services(for_tests=True)
    os.environ["DATABASE_URL"] = urls["TEST_DATABASE_URL"]
    os.environ["REDIS_URL"] = urls["TEST_REDIS_URL"] if "TEST_REDIS_URL" in urls else urls["REDIS_URL"]
    os.environ["APP_ENV"] = "test"
    os.environ.setdefault("SEED_DEMO_DATA", "false")
    os.environ["SOCKETIO_MESSAGE_QUEUE"] = "false"


_configure_services()

from alembic import command
from alembic.config import Config
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from shared.config import REPO_ROOT, get_settings
from shared.db import get_engine
from shared.jobs import redis_client
from shared.models import Customer, Package, User, UserRole
from shared.security import hash_password

# Hashing with full Argon2 parameters for every factory user would dominate the suite's time.
_FAST_HASHES: dict[str, str] = {}


def fast_hash(password: str) -> str:
    if password not in _FAST_HASHES:
        _FAST_HASHES[password] = hash_password(password)
    return _FAST_HASHES[password]


@pytest.fixture(autouse=True)
def _block_network(monkeypatch):
    """Tests reach only loopback and unix sockets unless they opt in."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        if sock.family == socket.AF_UNIX or (isinstance(address, tuple) and address[0] in (
                "127.0.0.1", "localhost", "::1")):
            return real_connect(sock, address)
        raise RuntimeError(f"network access blocked in tests: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def engine():
    eng = get_engine()
    config = Config(str(REPO_ROOT / "alembic.ini"))
    with eng.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine):
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def statements(connection):
    """The SQL statements sent on the test's connection from here on (requests included), as they are sent."""
    sent = []

    def record(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    yield sent
    event.remove(connection, "before_cursor_execute", record)


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    # Commits inside the code under test release savepoints; the outer transaction is rolled back.
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def db(session_factory) -> Session:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture(autouse=True)
def _clean_redis():
    redis_client().flushdb()
    _limiter_on_redis()
    yield


def _limiter_on_redis() -> None:
    """Start each test with the rate limiter counting in Redis, as a healthy product does.

    The limiter is one module-level object: a test that takes its Redis away leaves it in its in-memory fallback,
    and the next test's first requests would count in memory, then in Redis once it re-checks, so a limit would
    let a few requests too many through (test_branding_is_rate_limited saw 125 of 120).
    """
    from api.extensions import limiter

    limiter._storage_dead = False  # flask-limiter keeps its fallback state here; no public way to clear it


class BufferedClient(FlaskClient):
    """Reads every response whole and closes it at once: a file response (export download, logo, index.html)
    left unread would otherwise hold its file open until garbage collection, and the ResourceWarning would
    surface in whichever later test happens to collect it."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


Flask.test_client_class = BufferedClient  # every app the tests create, also those made inside a test


@pytest.fixture(scope="session")
def app(engine):
    from api.app import create_app

    return create_app(get_settings())


@pytest.fixture
def bound_app(app, session_factory):
    app.extensions["db_sessionmaker"] = session_factory
    yield app


@pytest.fixture
def client(bound_app):
    return bound_app.test_client()


class AuthClient:
    """A test client that sends a user's bearer token with every request."""

    def __init__(self, app, user: User):
        self._client = app.test_client()
        self.user = user
        with app.app_context():
            token = create_access_token(identity=str(user.id), additional_claims={"role": user.role.value})
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method):
        def call(*args, **kwargs):
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return getattr(self._client, method)(*args, headers=headers, **kwargs)

        return call


@pytest.fixture
def make_user(db):
    def factory(*, role: UserRole = UserRole.mitra, username: str | None = None, password: str = "Rahasia123!",
                business_name: str | None = None, **fields) -> User:
        suffix = uuid.uuid4().hex[:8]
        user = User(username=username or f"user_{suffix}", password_hash=fast_hash(password),
                    name=fields.pop("name", f"Pengguna {suffix}"), role=role,
                    business_name=business_name or f"Usaha {suffix}", **fields)
        db.add(user)
        db.flush()
        return user

    return factory


@pytest.fixture
def make_package(db):
    def factory(**fields) -> Package:
        suffix = uuid.uuid4().hex[:6]
        package = Package(name=fields.pop("name", f"Paket {suffix}"), speed=fields.pop("speed", "10 Mbps"),
                          price=fields.pop("price", 100_000), **fields)
        db.add(package)
        db.flush()
        return package

    return factory


@pytest.fixture
def make_customer(db, make_package):
    counter = iter(range(10_000_000, 99_999_999))

    def factory(*, owner: User, package: Package | None = None, discount: int = 0, **fields) -> Customer:
        package = package or make_package()
        customer = Customer(owner_id=owner.id, package_id=package.id, name=fields.pop("name", "Pelanggan Uji"),
                            phone=fields.pop("phone", f"62812{next(counter)}"),
                            billing_date=fields.pop("billing_date", 5), discount=discount,
                            total_bill=package.price - discount, **fields)
        db.add(customer)
        db.flush()
        return customer

    return factory


@pytest.fixture
def superadmin(make_user) -> User:
    return make_user(role=UserRole.superadmin, business_name=f"Pusat {uuid.uuid4().hex[:6]}")


@pytest.fixture
def mitra(make_user) -> User:
    return make_user(role=UserRole.mitra)


@pytest.fixture
def other_mitra(make_user) -> User:
    return make_user(role=UserRole.mitra)


@pytest.fixture
def superadmin_client(bound_app, superadmin) -> AuthClient:
    return AuthClient(bound_app, superadmin)


@pytest.fixture
def mitra_client(bound_app, mitra) -> AuthClient:
    return AuthClient(bound_app, mitra)


@pytest.fixture
def as_user(bound_app):
    return lambda user: AuthClient(bound_app, user)
