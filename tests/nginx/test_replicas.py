"""Two API replicas behind the shipped nginx: one Socket.IO client's handshake, polls and upgrade meet one replica.

Engine.IO keeps a session in the process that made it; a poll or an upgrade that lands on another replica gets 400
"Invalid session". With round-robin (the group without its `hash`) the handshake and the next request go to
different replicas; the shipped group hashes the client address, so every request of a client goes to one.
The replicas are two gunicorn processes run with the Dockerfile's command (tests/nginx/test_gunicorn.py).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import socket
import subprocess

import pytest

from shared.config import REPO_ROOT
from tests.nginx.conftest import SITE_CONF, free_port, running_nginx, sender, stop, wait_for_port
from tests.nginx.test_gunicorn import gunicorn_args

CLIENTS = [f"127.0.0.{n}" for n in range(2, 8)]  # six clients, spread over both replicas by the hash


@contextlib.contextmanager
def gunicorn_replicas(log_dir, env: dict, count: int = 2):
    """`count` gunicorn processes (the Dockerfile's command) on free ports, with `env`; yields their ports."""
    ports, procs = [free_port() for _ in range(count)], []
    try:
        for n, port in enumerate(ports):
            with (log_dir / f"api{n}.log").open("wb") as out:
                procs.append(subprocess.Popen(gunicorn_args(port), cwd=REPO_ROOT, env=env, stdout=out,
                                              stderr=subprocess.STDOUT))
        for n, (port, proc) in enumerate(zip(ports, procs, strict=True)):
            try:
                wait_for_port(port, proc, timeout=60)
            except RuntimeError as exc:
                raise RuntimeError(f"replica {n}: {exc}\n{(log_dir / f'api{n}.log').read_text()}") from None
        yield ports
    finally:
        for proc in procs:
            stop(proc)


@pytest.fixture(scope="module")
def two_replicas(engine, tmp_path_factory):
    env = {**os.environ, "TRUSTED_PROXY_HOPS": "1", "APP_ENV": "test"}
    with gunicorn_replicas(tmp_path_factory.mktemp("replicas"), env) as ports:
        yield ports


def ws_frame(text: str) -> bytes:
    """One masked text frame (clients must mask), payload under 126 bytes."""
    payload, mask = text.encode(), os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_read(sock: socket.socket) -> str:
    head = sock.recv(2, socket.MSG_WAITALL)
    length = head[1] & 0x7F
    if length == 126:
        length = int.from_bytes(sock.recv(2, socket.MSG_WAITALL), "big")
    return sock.recv(length, socket.MSG_WAITALL).decode()


def upgrade(port: int, client_ip: str, sid: str) -> str:
    """The websocket upgrade of session `sid`: the HTTP status line, and on 101 the probe exchange's answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(client_ip, 0)) as sock:
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket&sid={sid} HTTP/1.1\r\nHost: fibernode.test\r\n"
                      f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(1)
            if not chunk:
                break
            response += chunk
        status = response.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status:
            return status
        sock.sendall(ws_frame("2probe"))
        probe = ws_read(sock)
        sock.sendall(ws_frame("5"))  # upgrade done: the session now talks over this socket
        return f"{status} {probe}"


def socketio_session(port: int, client_ip: str) -> list[str]:
    """A Socket.IO client's opening: handshake, a namespace connect, polls, the upgrade. Each step's outcome."""
    handshake = sender(port)(client_ip, "GET", "/socket.io/?EIO=4&transport=polling")
    if handshake.status != 200:
        return [f"handshake {handshake.status}"]
    sid = json.loads(handshake.body.decode()[1:])["sid"]
    url = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    # Three rounds of a namespace connect (refused without a token: 44) and the poll that fetches its answer.
    steps = []
    for _ in range(3):
        steps.append(f"post {_post(port, client_ip, url, '40')}")
        if steps[-1] != "post 200 OK":
            return steps  # another replica answered (400): its poll would wait out the ping interval
        steps.append(f"poll {_get(port, client_ip, url)}")  # the connect's answer is waiting: returns at once
    steps.append(f"upgrade {upgrade(port, client_ip, sid)}")
    return steps


def _post(port: int, client_ip: str, url: str, body: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client_ip, 0))
    try:
        conn.request("POST", url, body=body, headers={"Host": "fibernode.test", "Content-Type": "text/plain"})
        response = conn.getresponse()
        return f"{response.status} {response.read().decode()}"
    finally:
        conn.close()


def _get(port: int, client_ip: str, url: str) -> str:
    reply = sender(port)(client_ip, "GET", url)
    return f"{reply.status} {reply.body.decode()[:2]}"


def succeeded(steps: list[str]) -> bool:
    return (steps[:6] == ["post 200 OK", "poll 200 44"] * 3
            and steps[6:] == ["upgrade HTTP/1.1 101 Switching Protocols 3probe"])


def test_every_socketio_client_stays_on_one_of_two_replicas(nginx_binary, two_replicas, flower_stub, site_root,
                                                            tmp_path):
    with running_nginx(nginx_binary, tmp_path, api_port=two_replicas, flower_port=flower_stub.port,
                       root=site_root) as server:
        sessions = {client: socketio_session(server.port, client) for client in CLIENTS}
    assert [client for client, steps in sessions.items() if not succeeded(steps)] == [], sessions


def test_round_robin_would_break_them(nginx_binary, two_replicas, flower_stub, site_root, tmp_path, monkeypatch):
    # The same config without the hash: the handshake and the next request alternate between the replicas.
    hashed = SITE_CONF.read_text()
    assert "    hash $remote_addr consistent;\n" in hashed
    round_robin = tmp_path / "round-robin.conf"
    round_robin.write_text(hashed.replace("    hash $remote_addr consistent;\n", ""))
    monkeypatch.setattr("tests.nginx.conftest.SITE_CONF", round_robin)
    with running_nginx(nginx_binary, tmp_path, api_port=two_replicas, flower_port=flower_stub.port,
                       root=site_root) as server:
        sessions = {client: socketio_session(server.port, client) for client in CLIENTS}
    failed = [client for client, steps in sessions.items() if not succeeded(steps)]
    assert len(failed) >= len(CLIENTS) // 2, sessions
    assert any("400" in step for steps in sessions.values() for step in steps)
