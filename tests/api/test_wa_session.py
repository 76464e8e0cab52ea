# ruff: noqa: F811 — the imported wa_bus / wa_state / make_invoice fixtures are requested as parameters
"""The caller's WhatsApp session through the API: status, connect, disconnect, QR, simulator scan, number check."""

import threading
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import delete, select, update

from shared import heartbeats
from shared.config import get_settings
from shared.db import get_sessionmaker
from shared.errors import ServiceUnavailable
from shared.models import ActivityLog, WaNumberCheck, WaSession, WaSessionStatus
from shared.models.heartbeat import ServiceHeartbeat
from shared.timeutil import utcnow
from tests.fixtures.imports import committed_world  # noqa: F401
from tests.fixtures.wa import wa_bus, wa_state  # noqa: F401

STATUS_KEYS = {"sessionId", "status", "phoneNumber", "lastConnectedAt", "reason", "pausedUntil", "pauseReason",
               "transport", "workerAlive", "qr"}


@pytest.fixture
def simulator(monkeypatch):
    monkeypatch.setattr(get_settings(), "wa_transport", "simulator")


def _session_of(db, user) -> WaSession:
    db.expire_all()
    return db.scalars(select(WaSession).where(WaSession.user_id == user.id)).one()


def test_status_creates_a_disconnected_session_for_the_caller(mitra_client, mitra, db):
    res = mitra_client.get("/api/wa/status")
    assert res.status_code == 200
    assert set(res.json) == STATUS_KEYS
    wa = _session_of(db, mitra)
    assert res.json["sessionId"] == str(wa.id)
    assert (res.json["status"], res.json["qr"], res.json["transport"]) == ("disconnected", None, "neonize")


def test_status_shows_the_qr_only_while_connecting(mitra_client, mitra, wa_state):
    wa_state(mitra, "connecting", qr_code="2@abc", qr_updated_at=utcnow())
    assert mitra_client.get("/api/wa/status").json["qr"] == "2@abc"
    qr = mitra_client.get("/api/wa/qr").json
    assert (qr["qr"], qr["status"]) == ("2@abc", "connecting") and qr["updatedAt"]
    wa_state(mitra, "connected", qr_code="2@stale")
    assert mitra_client.get("/api/wa/status").json["qr"] is None
    assert mitra_client.get("/api/wa/qr").json == {"qr": None, "updatedAt": None, "status": "connected"}


def test_worker_alive_means_a_wa_worker_beats_even_one_that_runs_no_number_yet(mitra_client, mitra, db, wa_state):
    db.execute(delete(ServiceHeartbeat).where(ServiceHeartbeat.service == "wa"))  # rolled back with the test
    wa_state(mitra, "connecting", heartbeat_at=None)  # the first connect: no worker has picked it up yet
    assert mitra_client.get("/api/wa/status").json["workerAlive"] is False
    heartbeats.beat(db, "wa", instance="wa-host:1:abcdef", info={"owned": 0, "workerId": "wa-host:1:abcdef"})
    assert mitra_client.get("/api/wa/status").json["workerAlive"] is True
    db.execute(update(ServiceHeartbeat).where(ServiceHeartbeat.service == "wa")
               .values(beat_at=utcnow() - timedelta(minutes=5)))
    assert mitra_client.get("/api/wa/status").json["workerAlive"] is False


def test_connect_sets_the_wish_and_publishes_reconcile_after_commit(mitra_client, mitra, db, wa_bus,
                                                                      wa_state):
    wa_state(mitra, "logged_out", status_reason="Perangkat dilepas dari HP")
    res = mitra_client.post("/api/wa/connect")
    assert res.status_code == 202, res.json
    assert res.json["status"] == "connecting" and res.json["reason"] is None
    wa = _session_of(db, mitra)
    assert (wa.enabled, wa.status, wa.status_reason) == (True, WaSessionStatus.connecting, None)
    assert wa_bus.commands("reconcile") == [{"session_id": str(wa.id)}]
    assert db.scalar(select(ActivityLog.action).where(ActivityLog.user_id == mitra.id)) == "wa.connect"


def test_second_connect_is_refused_while_connecting_and_publishes_nothing(mitra_client, mitra, db, wa_bus):
    first = mitra_client.post("/api/wa/connect")
    second = mitra_client.post("/api/wa/connect")
    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json["error"]["code"] == "wa_already_connecting"
    assert second.json["error"]["message"] == "WhatsApp sedang menghubungkan atau sudah terhubung."
    assert len(wa_bus.commands("reconcile")) == 1


def test_two_concurrent_connects_through_real_transactions_one_wins(app, committed_world, wa_bus):
    rolled_back = app.extensions["db_sessionmaker"]
    app.extensions["db_sessionmaker"] = get_sessionmaker()
    try:
        with app.app_context():
            token = create_access_token(identity=str(committed_world.mitra_id), additional_claims={"role": "mitra"})
        start, answers = threading.Barrier(2), []

        def connect():
            client = app.test_client()
            start.wait()
            answers.append(client.post("/api/wa/connect", headers={"Authorization": f"Bearer {token}"}).status_code)

        threads = [threading.Thread(target=connect) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        app.extensions["db_sessionmaker"] = rolled_back
    assert sorted(answers) == [202, 409]
    assert len(wa_bus.commands("reconcile")) == 1


def test_connect_is_refused_when_already_connected(mitra_client, mitra, wa_bus, wa_state):
    wa_state(mitra, "connected")
    assert mitra_client.post("/api/wa/connect").status_code == 409
    assert wa_bus.published == []


def test_connect_succeeds_even_when_the_command_cannot_be_published(mitra_client, mitra, db, monkeypatch):
    from shared.wa import bus

    def broken(cmd, **fields):
        raise ServiceUnavailable("redis down", code="wa_worker_unavailable")

    monkeypatch.setattr(bus, "publish", broken)
    assert mitra_client.post("/api/wa/connect").status_code == 202
    assert _session_of(db, mitra).enabled is True


def test_disconnect_clears_wish_qr_and_phone_idempotently(mitra_client, mitra, db, wa_bus, wa_state):
    wa_state(mitra, "connected", phone_number="6281200001111", qr_code="2@old")
    for _ in range(2):
        res = mitra_client.post("/api/wa/disconnect")
        assert res.status_code == 200
        assert (res.json["status"], res.json["phoneNumber"], res.json["qr"]) == ("disconnected", None, None)
    wa = _session_of(db, mitra)
    assert (wa.enabled, wa.qr_code, wa.phone_number) == (False, None, None)
    assert len(wa_bus.commands("reconcile")) == 2


def test_each_user_connects_only_their_own_session(mitra_client, mitra, other_mitra, db, wa_bus):
    mitra_client.post("/api/wa/connect")
    assert db.scalar(select(WaSession).where(WaSession.user_id == other_mitra.id)) is None


def test_simulator_scan_is_404_with_the_real_transport(mitra_client, mitra, wa_bus, wa_state):
    wa_state(mitra, "connecting", qr_code="2@abc")
    res = mitra_client.post("/api/wa/simulator/scan")
    assert res.status_code == 404
    assert wa_bus.published == []


def test_simulator_scan_needs_a_showing_qr(mitra_client, mitra, wa_bus, wa_state, simulator):
    assert mitra_client.post("/api/wa/simulator/scan").json["error"]["code"] == "wa_no_qr"
    wa = wa_state(mitra, "connecting", qr_code="SIMULASI-1234")
    res = mitra_client.post("/api/wa/simulator/scan")
    assert res.status_code == 202 and res.json["transport"] == "simulator"
    assert wa_bus.commands("scan") == [{"session_id": str(wa.id)}]


def test_check_number_normalises_asks_the_worker_and_remembers(mitra_client, mitra, db, wa_bus, wa_state):
    wa = wa_state(mitra, "connected")
    wa_bus.answer = {"ok": True, "onWhatsapp": True, "jid": "6281234567890@s.whatsapp.net"}
    res = mitra_client.post("/api/wa/check-number", json={"phone": "0812-3456-7890"})
    assert res.status_code == 200
    assert res.json == {"phone": "6281234567890", "onWhatsapp": True, "jid": "6281234567890@s.whatsapp.net"}
    assert wa_bus.requests == [("check_number", {"session_id": str(wa.id), "phone": "6281234567890"})]
    cached = db.get(WaNumberCheck, (wa.id, "6281234567890"))
    assert (cached.on_whatsapp, cached.jid) == (True, "6281234567890@s.whatsapp.net")


def test_check_number_refusals(mitra_client, mitra, wa_bus, wa_state):
    res = mitra_client.post("/api/wa/check-number", json={"phone": "12345"})
    assert res.status_code == 422 and "62" in res.json["error"]["message"]
    res = mitra_client.post("/api/wa/check-number", json={"phone": "081234567890"})
    assert (res.status_code, res.json["error"]["code"]) == (409, "wa_not_connected")
    wa_state(mitra, "connected")
    wa_bus.answer = ServiceUnavailable("WA worker tidak merespons.", code="wa_worker_unavailable")
    res = mitra_client.post("/api/wa/check-number", json={"phone": "081234567890"})
    assert (res.status_code, res.json["error"]["code"]) == (503, "wa_worker_unavailable")
    wa_bus.answer = {"ok": True, "onWhatsapp": False, "jid": None}
    assert mitra_client.post("/api/wa/check-number", json={"phone": "081234560000"}).json["onWhatsapp"] is False


def test_every_wa_route_needs_login(client):
    for method, url in [("get", "/api/wa/status"), ("post", "/api/wa/connect"), ("get", "/api/wa/queue"),
                        ("get", "/api/wa/logs"), ("post", "/api/wa/send-test")]:
        assert getattr(client, method)(url).status_code == 401, url
