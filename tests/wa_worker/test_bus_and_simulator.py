"""The command bus, the Socket.IO emitter's test mode, and the simulator transport's rules."""

import threading
import uuid

import pytest

from shared.errors import ServiceUnavailable
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.timeutil import utcnow
from shared.wa import bus, events
from shared.wa.simulator import QR_PREFIX, SimulatorTransport, fallback_phone
from shared.wa.transport import NOT_CONNECTED, NOT_ON_WHATSAPP, WaError, WaSendError


class Recorder:
    def __init__(self):
        self.calls: list[tuple] = []
        self.qr_seen = threading.Event()

    def on_qr(self, code):
        self.calls.append(("qr", code))
        self.qr_seen.set()

    def on_connected(self, phone): self.calls.append(("connected", phone))
    def on_disconnected(self, reason): self.calls.append(("disconnected", reason))
    def on_logged_out(self, reason): self.calls.append(("logged_out", reason))
    def on_banned(self, reason, until): self.calls.append(("banned", reason, until))
    def on_outdated(self): self.calls.append(("outdated",))


def test_publish_sends_camelcase_json_and_counts_subscribers():
    subscription = bus.subscribe()
    try:
        assert bus.publish("wake", session_id=uuid.UUID(int=7), extra_field=1) == 1
        command = None
        for _ in range(20):
            command = subscription.get(timeout=0.2)
            if command:
                break
        assert command == {"cmd": "wake", "sessionId": str(uuid.UUID(int=7)), "extraField": 1}
    finally:
        subscription.close()


def test_request_without_a_worker_is_a_503_at_once():
    with pytest.raises(ServiceUnavailable) as error:
        bus.request("check_number", session_id=uuid.uuid4(), phone="6281234567001", timeout=5)
    assert error.value.code == "wa_worker_unavailable"
    assert error.value.message == "WA worker tidak merespons. Coba lagi sebentar lagi."


def test_request_times_out_when_the_worker_does_not_answer():
    subscription = bus.subscribe()  # a worker that hears but never replies
    try:
        with pytest.raises(ServiceUnavailable) as error:
            bus.request("check_number", session_id=uuid.uuid4(), phone="6281234567001", timeout=0.3)
        assert error.value.code == "wa_worker_unavailable"
    finally:
        subscription.close()


def test_request_returns_the_workers_reply():
    subscription = bus.subscribe()

    def worker():
        for _ in range(50):
            command = subscription.get(timeout=0.1)
            if command:
                bus.reply(command["reply"], {"ok": True, "onWhatsapp": True, "phone": command["phone"]})
                return

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert bus.request("check_number", session_id=uuid.uuid4(), phone="628", timeout=5) == {
            "ok": True, "onWhatsapp": True, "phone": "628"}
    finally:
        thread.join()
        subscription.close()


def test_reply_key_expires():
    bus.reply("wa:reply:test", {"ok": True})
    from shared.jobs import redis_client

    assert 0 < redis_client().ttl("wa:reply:test") <= bus.REPLY_TTL_SECONDS


def test_emit_records_to_the_users_room_when_no_message_queue():
    events.recorded.clear()
    seen = []
    events.listeners.append(lambda *call: seen.append(call))
    try:
        user_id = uuid.uuid4()
        events.emit("wa:qr", {"sessionId": "s", "qr": "SIMULASI-x"}, user_id)
    finally:
        events.listeners.clear()
    from api.socket_events import user_room

    assert events.recorded == [("wa:qr", {"sessionId": "s", "qr": "SIMULASI-x"}, user_room(str(user_id)))]
    assert seen == events.recorded
    events.recorded.clear()


@pytest.fixture
def simulator(session_factory):
    return SimulatorTransport(session_factory=session_factory, qr_interval=0.05)


@pytest.fixture
def wa_session(db, make_user):
    def make(*, phone: str | None = "6281234567001", **fields) -> WaSession:
        user = make_user(phone=phone)
        wa = WaSession(user_id=user.id, **{"enabled": True, "status": WaSessionStatus.connecting, **fields})
        db.add(wa)
        db.flush()
        return wa

    return make


def test_simulator_shows_rotating_qr_and_connects_with_owner_phone(simulator, wa_session):
    wa = wa_session(phone="0812-3456-7001")
    recorder = Recorder()
    client = simulator.create(wa.id, recorder)
    client.start()
    assert recorder.qr_seen.wait(2)
    for _ in range(100):
        if len([c for c in recorder.calls if c[0] == "qr"]) >= 2:
            break
        threading.Event().wait(0.02)
    codes = [c[1] for c in recorder.calls if c[0] == "qr"]
    assert len(codes) >= 2 and len(set(codes)) == len(codes) and all(c.startswith(QR_PREFIX) for c in codes)

    client.simulate_scan()
    assert recorder.calls[-1] == ("connected", "6281234567001")
    assert client.is_connected()
    with pytest.raises(WaError):  # no QR showing any more
        client.simulate_scan()
    client.stop()


def test_simulator_falls_back_to_a_made_up_number(simulator, wa_session):
    wa = wa_session(phone=None)
    recorder = Recorder()
    client = simulator.create(wa.id, recorder)
    client.start()
    assert recorder.qr_seen.wait(2)
    client.simulate_scan()
    phone = recorder.calls[-1][1]
    assert phone == fallback_phone(wa.id) and phone.startswith("62800") and len(phone) == 12
    client.stop()


def test_simulator_numbers_ending_0000_are_not_on_whatsapp_and_sends_dedupe(simulator, wa_session):
    wa = wa_session()
    client = simulator.create(wa.id, Recorder())
    with pytest.raises(WaSendError) as error:
        client.send_text("6281234567001", "halo")
    assert error.value.code == NOT_CONNECTED
    client.start()
    client.simulate_scan()

    assert client.check_number("6281299990000").on_whatsapp is False
    assert client.check_number("6281299990001").jid == "6281299990001@s.whatsapp.net"
    with pytest.raises(WaSendError) as error:
        client.send_text("6281299990000", "halo")
    assert error.value.code == NOT_ON_WHATSAPP

    first = client.send_text("6281299990001", "Tagihan Anda", message_id="ABC123")
    again = client.send_text("6281299990001", "Tagihan Anda", message_id="ABC123")
    assert first == again and first.message_id == "ABC123"
    other = client.send_text("6281299990001", "Pesan lain")
    assert other.message_id and other.message_id != "ABC123"
    assert [m.text for m in simulator.messages] == ["Tagihan Anda", "Pesan lain"]
    assert simulator.delivered_status == "delivered"
    client.stop()


def test_simulator_pairing_lives_in_wa_sessions_and_logout_forgets_it(simulator, wa_session, db):
    wa = wa_session(phone_number="6281234567001", last_connected_at=utcnow(), status=WaSessionStatus.connected)
    assert simulator.has_pairing(wa.id)
    recorder = Recorder()
    client = simulator.create(wa.id, recorder)
    client.start()  # a restart: connects again without a QR
    assert recorder.calls == [("connected", "6281234567001")]
    client.logout()
    db.expire_all()
    assert db.get(WaSession, wa.id).phone_number is None
    assert not simulator.has_pairing(wa.id)


def test_simulator_has_no_pairing_for_disabled_or_logged_out_sessions(simulator, wa_session):
    common = {"phone_number": "6281234567001", "last_connected_at": utcnow()}
    assert not simulator.has_pairing(wa_session(enabled=False, **common).id)
    assert not simulator.has_pairing(wa_session(status=WaSessionStatus.logged_out, **common).id)
    assert not simulator.has_pairing(wa_session().id)  # never linked
