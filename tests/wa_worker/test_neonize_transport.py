"""The neonize transport offline: its store in PostgreSQL, event mapping through neonize's own dispatcher, and a
clean failure when WhatsApp cannot be reached (the network is blocked here)."""

import ctypes
import gc
import threading
import time
import uuid
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from shared.db import get_engine
from shared.wa.transport import (
    NOT_CONNECTED,
    NOT_SUPPORTED,
    REACH_OUT_REFUSED,
    TEMPORARILY_BANNED,
    TIMEOUT,
    UNREACHABLE,
    WaError,
    WaSendError,
)
from worker.wa.neonize_transport import NeonizeTransport, ban_until, classify_error, schema_for, whatsmeow_url

with warnings.catch_warnings():
    # Importing neonize runs os.popen("uname -a") and never closes it (neonize/utils/platform.py): harmless in the
    # worker, an unraisable ResourceWarning here.
    warnings.simplefilter("ignore", ResourceWarning)
    from neonize import events as neonize_events
    from neonize.proto.Neonize_pb2 import JID, ConnectFailureReason, Node

    gc.collect()


class Recorder:
    def __init__(self):
        self.calls: list[tuple] = []
        self.changed = threading.Event()

    def _add(self, *call):
        self.calls.append(call)
        self.changed.set()

    def on_qr(self, code): self._add("qr", code)
    def on_connected(self, phone): self._add("connected", phone)
    def on_disconnected(self, reason): self._add("disconnected", reason)
    def on_logged_out(self, reason): self._add("logged_out", reason)
    def on_banned(self, reason, until): self._add("banned", reason, until)
    def on_outdated(self): self._add("outdated")


@pytest.fixture
def transport(engine):
    created: list[uuid.UUID] = []

    class Tracking(NeonizeTransport):
        def create(self, session_id, events):
            created.append(session_id)
            return super().create(session_id, events)

    instance = Tracking(engine=get_engine())
    instance.prepare()
    yield instance
    for session_id in created:
        instance.forget(session_id)


def schema_exists(name: str) -> bool:
    with get_engine().connect() as conn:
        return bool(conn.scalar(text("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :n)"), {"n": name}))


def jid(user: str, device: int = 0) -> JID:
    return JID(User=user, RawAgent=0, Device=device, Integrator=0, Server="s.whatsapp.net", IsEmpty=False)


def dispatch(client, event) -> None:
    """Deliver an event the way the Go side does: serialized bytes and the event's code into Event.execute."""
    data = event.SerializeToString()
    buffer = ctypes.create_string_buffer(data, len(data) or 1)
    client.client.event.execute(0, ctypes.addressof(buffer), len(data), neonize_events.EVENT_TO_INT[type(event)])


def test_store_url_points_whatsmeow_at_the_sessions_schema():
    assert whatsmeow_url("postgresql+psycopg://fn:s%40cret@db:5432/fibernode", "wa_abc") == (
        "postgres://fn:s%40cret@db:5432/fibernode?sslmode=disable&search_path=wa_abc")
    # The embedded development database listens on a Unix socket.
    assert whatsmeow_url("postgresql+psycopg://postgres@/fibernode?host=/tmp/pg", "wa_abc") == (
        "postgres://postgres@/fibernode?host=/tmp/pg&sslmode=disable&search_path=wa_abc")
    assert whatsmeow_url("postgresql://u@h/d?sslmode=require", "wa_x").endswith("sslmode=require&search_path=wa_x")


def test_create_makes_an_empty_store_and_no_pairing(transport):
    session_id = uuid.uuid4()
    client = transport.create(session_id, Recorder())
    assert schema_exists(schema_for(session_id))
    assert client.client.uuid == str(session_id).encode()  # the Go-side key is the session, never a phone
    assert "search_path=" + schema_for(session_id) in client.client.name
    assert transport.has_pairing(session_id) is False
    assert client.is_connected() is False


def test_the_linked_device_is_named_fibernode(transport):
    from neonize.proto.waCompanionReg.WAWebProtobufsCompanionReg_pb2 import DeviceProps

    client = transport.create(uuid.uuid4(), Recorder())
    # neonize's connect serializes exactly this for the Go core (its default would be os="Neonize", Safari).
    props = DeviceProps.FromString(client.client.device_props.SerializeToString())
    assert (props.os, props.platformType) == ("FiberNode", DeviceProps.DESKTOP)


def test_has_pairing_reads_the_device_table_of_that_session_only(transport):
    paired, other = uuid.uuid4(), uuid.uuid4()
    transport.create(paired, Recorder())
    transport.create(other, Recorder())
    with get_engine().begin() as conn:
        for session_id in (paired, other):
            conn.execute(text(f'CREATE TABLE "{schema_for(session_id)}".whatsmeow_device (jid text)'))
        conn.execute(text(f'INSERT INTO "{schema_for(paired)}".whatsmeow_device VALUES (\'62812:3@s.whatsapp.net\')'))
    assert transport.has_pairing(paired) is True
    assert transport.has_pairing(other) is False
    transport.forget(paired)
    assert transport.has_pairing(paired) is False and not schema_exists(schema_for(paired))


def test_events_from_neonize_reach_the_workers_callbacks(transport):
    recorder = Recorder()
    client = transport.create(uuid.uuid4(), recorder)
    client.client.event._qr(client.client, b"2@qr-data,abc")
    dispatch(client, neonize_events.PairStatusEv(Status=neonize_events.PairStatusEv.SUCCESS,
                                                 ID=jid("6281234567001"), BusinessName="", Platform="android"))
    dispatch(client, neonize_events.DisconnectedEv(status=True))
    dispatch(client, neonize_events.LoggedOutEv(OnConnect=False, Reason=ConnectFailureReason.Value("LOGGED_OUT")))
    before = datetime.now(UTC)
    dispatch(client, neonize_events.TemporaryBanEv(Code=1, Expire=3600))
    dispatch(client, neonize_events.ClientOutdatedEv())
    dispatch(client, neonize_events.ConnectFailureEv(Reason=ConnectFailureReason.Value("MAIN_DEVICE_GONE"), Message="",
                                                     Raw=Node(Tag="failure")))

    kinds = [call[0] for call in recorder.calls]
    assert kinds == ["qr", "connected", "disconnected", "logged_out", "banned", "outdated", "logged_out"]
    assert recorder.calls[0] == ("qr", "2@qr-data,abc")
    assert recorder.calls[1] == ("connected", "6281234567001")
    assert recorder.calls[3] == ("logged_out", "LOGGED_OUT")
    until = recorder.calls[4][2]
    assert before + timedelta(minutes=59) < until < before + timedelta(minutes=61)


def test_connected_event_reports_the_linked_number(transport):
    recorder = Recorder()
    client = transport.create(uuid.uuid4(), recorder)
    dispatch(client, neonize_events.Device(JID=jid("6281234567002", 7), Platform="", BussinessName="",
                                                 PushName="Kantor", Initialized=True))
    dispatch(client, neonize_events.ConnectedEv(status=True))
    assert recorder.calls == [("connected", "6281234567002")]


def test_unreachable_whatsapp_fails_fast_and_cleanly(transport):
    recorder = Recorder()
    session_id = uuid.uuid4()
    client = transport.create(session_id, recorder)
    started = time.monotonic()
    client.start()
    assert recorder.changed.wait(20), "neither a QR nor a failure within 20 s"
    client.join(timeout=5)
    if client.connect_error is None:  # pragma: no cover - only where WhatsApp is reachable
        pytest.skip("WhatsApp is reachable from this machine: a QR arrived instead of a network failure")
    assert recorder.calls[0] == ("disconnected", "WhatsApp tidak dapat dihubungi (jaringan).")
    assert not client.is_running()
    assert time.monotonic() - started < 20
    # whatsmeow created its tables in this session's schema (and only there), and nothing is paired.
    with get_engine().connect() as conn:
        assert conn.scalar(text("SELECT to_regclass(:t)"), {"t": f"{schema_for(session_id)}.whatsmeow_device"})
    assert transport.has_pairing(session_id) is False
    with pytest.raises(WaSendError) as error:
        client.send_text("6281234567001", "halo")
    assert error.value.code == NOT_CONNECTED
    with pytest.raises(WaError) as error:
        client.check_number("6281234567001")
    assert error.value.code == NOT_CONNECTED
    client.logout()  # never linked: forgets the (empty) store without raising
    assert not schema_exists(schema_for(session_id))


def test_simulate_scan_is_not_supported_on_the_real_transport(transport):
    client = transport.create(uuid.uuid4(), Recorder())
    with pytest.raises(WaError) as error:
        client.simulate_scan()
    assert error.value.code == NOT_SUPPORTED


@pytest.mark.parametrize(("raw", "code"), [
    ("server returned error 463", REACH_OUT_REFUSED),
    ("reach-out timelock is active", REACH_OUT_REFUSED),
    ("account is temporarily banned", TEMPORARILY_BANNED),
    ("websocket not connected", NOT_CONNECTED),
    ("context deadline exceeded", TIMEOUT),
    ('dial tcp: lookup web.whatsapp.com: no such host', UNREACHABLE),
    ("something else", "error"),
])
def test_send_errors_map_to_the_contracts_codes(raw, code):
    assert classify_error(raw)[0] == code


def test_ban_expiry_accepts_go_durations_and_seconds():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert ban_until(3600, now) == now + timedelta(hours=1)
    assert ban_until(3600 * 10**9, now) == now + timedelta(hours=1)
    assert ban_until(0, now) is None
