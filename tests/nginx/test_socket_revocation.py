"""Ending a session closes its Socket.IO connection on the replica that holds it, not only on the one asked.

Two gunicorn replicas with the Redis message queue on (as in compose): a phone's socket lives on replica A; the
logout reaches replica B. B finds the socket's id under the session in Redis and publishes the disconnect; A
sends the phone the Socket.IO DISCONNECT packet (`41`). Without it the logged-out phone kept receiving pushes.
"""

from __future__ import annotations

import json
import os

import pytest

from shared.db import session_scope
from shared.models import User
from tests.fixtures.imports import committed_world  # noqa: F401  (committed users, removed afterwards)
from tests.nginx.conftest import sender
from tests.nginx.test_replicas import _post, gunicorn_replicas

CLIENT = "127.0.0.2"


@pytest.fixture(scope="module")
def queued_replicas(engine, tmp_path_factory):
    env = {**os.environ, "APP_ENV": "test", "SOCKETIO_MESSAGE_QUEUE": "true"}
    with gunicorn_replicas(tmp_path_factory.mktemp("queued-replicas"), env) as ports:
        yield ports


def _login(port: int, username: str) -> dict:
    reply = sender(port)(CLIENT, "POST", "/api/auth/login", json_body={"username": username, "password": "x"})
    assert reply.status == 200, reply.body
    return reply.json()


def _connected_socket(port: int, token: str) -> str:
    """A polling Socket.IO session on `port`, connected to `/` with the token; its Engine.IO sid."""
    handshake = sender(port)(CLIENT, "GET", "/socket.io/?EIO=4&transport=polling")
    assert handshake.status == 200
    sid = json.loads(handshake.body.decode()[1:])["sid"]
    url = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    assert _post(port, CLIENT, url, "40" + json.dumps({"token": token})) == "200 OK"
    answer = sender(port)(CLIENT, "GET", url).body.decode()
    assert answer.startswith("40{"), answer  # connected, not refused (44)
    return sid


@pytest.mark.timeout(120)
def test_logout_on_one_replica_closes_the_socket_held_by_the_other(queued_replicas, committed_world):  # noqa: F811
    holder, other = queued_replicas
    with session_scope() as session:
        username = session.get(User, committed_world.mitra_id).username
    phone = _login(holder, username)
    sid = _connected_socket(holder, phone["accessToken"])

    assert sender(other)(CLIENT, "POST", "/api/auth/logout",
                         json_body={"refreshToken": phone["refreshToken"]}).status == 204

    # The held long-poll returns the DISCONNECT packet once replica A has processed B's message.
    poll = sender(holder)(CLIENT, "GET", f"/socket.io/?EIO=4&transport=polling&sid={sid}")
    assert poll.status == 200 and "41" in poll.body.decode().split("\x1e"), poll.body
