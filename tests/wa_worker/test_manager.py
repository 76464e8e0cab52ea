"""The WA worker's manager with the simulator transport, against committed rows (real PostgreSQL and Redis)."""

import time

from sqlalchemy import select

from shared.db import session_scope
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaMessageLog, WaSession
from shared.timeutil import utcnow
from shared.wa import bus, leases, outbox
from shared.wa.simulator import QR_PREFIX, SimulatorTransport
from tests.wa_worker.conftest import load, load_queue, wait_for


def statuses(emitted, session_id) -> list[str]:
    return [p["status"] for event, p, _room in emitted if event == "wa:status" and p["sessionId"] == str(session_id)]


def test_enabled_session_shows_rotating_qr_then_connects_with_owner_phone_on_scan(committed, emitted, start_manager):
    wa = committed(phone="081234567001")
    run = start_manager()

    first = wait_for(lambda: load(wa.id).qr_code)
    assert first.startswith(QR_PREFIX)
    qr_events = [(p, room) for event, p, room in emitted if event == "wa:qr" and p["sessionId"] == str(wa.id)]
    assert qr_events and qr_events[0] == ({"sessionId": str(wa.id), "qr": first}, f"user:{wa.user_id}")
    assert load(wa.id).worker_id == run.manager.worker_id
    # The QR rotates (every 0.5 s here, 20 s by default).
    wait_for(lambda: load(wa.id).qr_code not in (None, first))

    wait_for(lambda: bus.publish("scan", session_id=wa.id) or True)
    row = wait_for(lambda: (r := load(wa.id)).status == WaSessionStatus.connected and r)
    assert row.phone_number == "6281234567001"  # the owner's phone, normalised
    assert row.qr_code is None and row.last_connected_at is not None
    assert "connected" in statuses(emitted, wa.id)
    last = [p for event, p, _ in emitted if event == "wa:status" and p["sessionId"] == str(wa.id)][-1]
    assert last["phoneNumber"] == "6281234567001" and last["transport"] == "simulator"
    wait_for(lambda: load(wa.id).heartbeat_at is not None)


def test_check_number_is_answered_by_the_owning_worker(committed, start_manager):
    wa = committed()
    run = start_manager()
    wait_for(lambda: load(wa.id).qr_code)
    run.manager.handle({"cmd": "scan", "sessionId": str(wa.id)})
    wait_for(lambda: load(wa.id).status == WaSessionStatus.connected)

    assert bus.request("check_number", session_id=wa.id, phone="6281299990001", timeout=5) == {
        "ok": True, "onWhatsapp": True, "jid": "6281299990001@s.whatsapp.net"}
    assert bus.request("check_number", session_id=wa.id, phone="6281299990000", timeout=5) == {
        "ok": True, "onWhatsapp": False, "jid": None}


def test_disconnect_wish_logs_out_and_releases_the_number(committed, emitted, start_manager):
    wa = committed()
    transport = SimulatorTransport(qr_interval=0.5)
    run = start_manager(transport)
    wait_for(lambda: load(wa.id).qr_code)
    run.manager.handle({"cmd": "scan", "sessionId": str(wa.id)})
    wait_for(lambda: load(wa.id).status == WaSessionStatus.connected)
    assert wa.id in run.manager.runners

    with session_scope() as session:  # what POST /api/wa/disconnect writes
        session.get(WaSession, wa.id).enabled = False
    bus.publish("reconcile")

    row = wait_for(lambda: (r := load(wa.id)).status == WaSessionStatus.disconnected and r)
    assert wa.id not in run.manager.runners
    assert row.phone_number is None and row.worker_id is None  # the pairing is forgotten
    assert not transport.has_pairing(wa.id)
    with session_scope() as session:
        assert not leases.session_is_owned(session, wa.id)
    assert statuses(emitted, wa.id)[-1] == "disconnected"


def test_restart_resumes_a_paired_session_without_a_qr(committed, start_manager):
    wa = committed()
    first = start_manager()
    wait_for(lambda: load(wa.id).qr_code)
    first.manager.handle({"cmd": "scan", "sessionId": str(wa.id)})
    wait_for(lambda: load(wa.id).status == WaSessionStatus.connected)
    first.close()
    assert load(wa.id).worker_id is None

    second = start_manager()
    # The row still says connected from the first run until the second's client reports: wait for the client.
    wait_for(lambda: (r := second.manager.runners.get(wa.id)) and r.ready.is_set() and r.client.is_connected())
    row = wait_for(lambda: (r := load(wa.id)).status == WaSessionStatus.connected and r)
    assert row.qr_code is None and row.phone_number == "6281234567001"


def test_restart_does_not_resume_a_session_whose_pairing_is_gone(committed, emitted, start_manager):
    # Linked before (last_connected_at) but the pairing was forgotten while the worker was down.
    wa = committed(status=WaSessionStatus.connected, phone_number=None,
                   last_connected_at=utcnow())
    run = start_manager()
    row = wait_for(lambda: (r := load(wa.id)).status == WaSessionStatus.logged_out and r)
    assert row.enabled is False and row.qr_code is None
    assert wa.id not in run.manager.runners
    assert "logged_out" in statuses(emitted, wa.id)


def test_second_worker_cannot_own_a_session_the_first_owns(committed, start_manager):
    wa = committed()
    first = start_manager()
    wait_for(lambda: wa.id in first.manager.runners)
    second = start_manager()
    time.sleep(1.0)  # several reconcile rounds
    assert wa.id not in second.manager.runners
    assert load(wa.id).worker_id == first.manager.worker_id

    first.close()  # the lock is released: the second takes over
    wait_for(lambda: wa.id in second.manager.runners)
    wait_for(lambda: load(wa.id).worker_id == second.manager.worker_id)


def test_direct_row_is_sent_by_the_sessions_loop_and_logged_delivered(committed, start_manager):
    wa = committed()
    transport = SimulatorTransport(qr_interval=0.5)
    run = start_manager(transport)
    wait_for(lambda: load(wa.id).qr_code)
    run.manager.handle({"cmd": "scan", "sessionId": str(wa.id)})
    wait_for(lambda: load(wa.id).status == WaSessionStatus.connected)

    with session_scope() as session:
        queued = outbox.queue_direct(session, owner_id=wa.user_id, message_type="test", phone="6281299990001",
                                     content="Tes dari FiberNode")
    wait_for(lambda: load_queue(queued.id).status == "sent")
    assert [(m.phone, m.text) for m in transport.messages] == [("6281299990001", "Tes dari FiberNode")]
    with session_scope() as session:
        logs = session.scalars(select(WaMessageLog).where(WaMessageLog.queue_id == queued.id)).all()
        assert [log.status for log in logs] == ["delivered"]


def test_shutdown_stops_clients_and_keeps_pairings(committed, start_manager):
    wa = committed()
    transport = SimulatorTransport(qr_interval=0.5)
    run = start_manager(transport)
    wait_for(lambda: load(wa.id).qr_code)
    run.manager.handle({"cmd": "scan", "sessionId": str(wa.id)})
    wait_for(lambda: load(wa.id).status == WaSessionStatus.connected)
    client = run.manager.runners[wa.id].client
    run.close()
    assert not client.is_connected()
    assert transport.has_pairing(wa.id)
    with session_scope() as session:
        assert not leases.session_is_owned(session, wa.id)


def test_a_session_whose_client_cannot_start_is_released_and_retried_later(committed, start_manager):
    wa = committed()

    class Broken(SimulatorTransport):
        attempts = 0

        def create(self, session_id, events):
            Broken.attempts += 1
            raise RuntimeError("store unavailable")

    run = start_manager(Broken(qr_interval=0.5), retry_after=60)
    wait_for(lambda: Broken.attempts >= 1)
    time.sleep(0.6)  # more reconcile rounds: no retry before retry_after
    assert Broken.attempts == 1
    assert wa.id not in run.manager.runners
    with session_scope() as session:
        assert not leases.session_is_owned(session, wa.id)
