"""The real transport: WhatsApp Web through neonize 0.5.2 (whatsmeow in a bundled Go library).

Store: **one PostgreSQL schema per session** (`wa_<session id hex>`) in the application's database. The
whatsmeow store URL is `postgres://user:pass@host:port/db?sslmode=disable&search_path=wa_<hex>`: lib/pq passes
`search_path` to the server, so whatsmeow's unqualified `whatsmeow_*` tables land in that schema (checked with
neonize 0.5.2). Why a schema each rather than all devices in one store:
- neonize's `NewClient(name, jid=None, uuid=...)` without a JID resumes *the first device in the store*; with
  every device in one store, a session's client could resume another owner's number. With one device per
  schema, "the first device" is always this session's, and no session→JID bookkeeping (or new column) is needed.
- `has_pairing` is one query (`wa_<hex>.whatsmeow_device` has a row); after a logout whatsmeow deletes the
  device and `logout()` drops the schema, so a logged-out device is never resumed (that panics the process).
- PostgreSQL keeps the keys with the rest of the data (backups, no volume for SQLite files). Alembic ignores
  other schemas (and `whatsmeow_*` tables, migrations/env.py).
A schema is created (empty) by `create()` and filled by whatsmeow on the client's first connect; sessions are
started one at a time by the manager, so no two clients ever initialise the same empty store.

Hazards (DESIGN.md §7): neonize is imported only here and only when the WA worker process creates this
transport (`prepare()`), never before a fork; `connect()` blocks, so each client connects on its own daemon
thread; event handlers only translate and hand off to the worker's callbacks.

Device name: the phone lists the linked device by its `DeviceProps.os` ("FiberNode", a desktop icon), not as
neonize's default "Neonize"/Safari. neonize forwards `NewClient(props=...)` to the Go core at connect, which merges
it into whatsmeow's `store.DeviceProps` before pairing (goneonize/main.go, `proto.Merge(store.DeviceProps, ...)`).
The name is fixed at pairing: a device linked before keeps the name it was linked with until it is linked again.

Message ids: neonize 0.5.2's `send_message` has no message-id parameter (the Go `SendMessage` takes only the
recipient and the message), so `send_text(message_id=...)` cannot reuse the outbox's id: the id in the receipt
is WhatsApp's. The outbox therefore never resends a row left in flight (it fails it for a person to check).
"""

import logging
import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, make_url, text

from shared.db import get_engine
from shared.wa.transport import (
    ERROR,
    NOT_CONNECTED,
    NOT_SUPPORTED,
    REACH_OUT_REFUSED,
    TEMPORARILY_BANNED,
    TIMEOUT,
    UNREACHABLE,
    NumberCheck,
    SendReceipt,
    TransportEvents,
    WaError,
    WaSendError,
)

log = logging.getLogger(__name__)

NOT_CONNECTED_MESSAGE = "Session WA tidak terkoneksi"
SCHEMA_PREFIX = "wa_"
DEVICE_NAME = "FiberNode"

# Substrings of whatsmeow/neonize error texts, checked in order; the first match decides the code.
_ERROR_PATTERNS: tuple[tuple[str, re.Pattern, str], ...] = (
    (REACH_OUT_REFUSED, re.compile(r"\b463\b|reach.?out", re.IGNORECASE),
     "WhatsApp menolak pesan pertama ke nomor ini (463 reach-out). Pengiriman terjadwal dijeda."),
    (TEMPORARILY_BANNED, re.compile(r"ban", re.IGNORECASE), "Nomor WhatsApp sedang diblokir sementara oleh WhatsApp."),
    (NOT_CONNECTED, re.compile(r"not connected|not logged in|websocket not connected|no session", re.IGNORECASE),
     NOT_CONNECTED_MESSAGE),
    (TIMEOUT, re.compile(r"timed? ?out|deadline exceeded", re.IGNORECASE), "WhatsApp tidak menjawab tepat waktu."),
    (UNREACHABLE, re.compile(r"dial|no such host|connection refused|connection reset|network|websocket|EOF", re.IGNORECASE),
     "WhatsApp tidak dapat dihubungi (jaringan)."),
)


def classify_error(raw: str) -> tuple[str, str]:
    """Map a neonize error text to (code, Indonesian message)."""
    for code, pattern, message in _ERROR_PATTERNS:
        if pattern.search(raw):
            return code, message
    return ERROR, f"Gagal mengirim lewat WhatsApp: {raw[:200]}"


def device_props():
    """What the phone shows under "Perangkat tertaut": FiberNode, as a desktop app."""
    from neonize.proto.waCompanionReg.WAWebProtobufsCompanionReg_pb2 import DeviceProps

    return DeviceProps(os=DEVICE_NAME, platformType=DeviceProps.DESKTOP, requireFullSync=False)


def schema_for(session_id: uuid.UUID) -> str:
    return f"{SCHEMA_PREFIX}{session_id.hex}"


def whatsmeow_url(database_url: str, schema: str) -> str:
    """The lib/pq URL of the application's database with `search_path` set to one session's schema."""
    url = make_url(database_url)
    query = {key: (value if isinstance(value, str) else value[-1]) for key, value in url.query.items()}
    query.setdefault("sslmode", "disable")
    query["search_path"] = schema
    auth = ""
    if url.username:
        auth = quote(url.username, safe="")
        if url.password:
            auth += ":" + quote(str(url.password), safe="")
        auth += "@"
    host = url.host or ""
    if host and url.port:
        host += f":{url.port}"
    return f"postgres://{auth}{host}/{url.database}?{urlencode(query, safe='/')}"


class NeonizeTransport:
    name = "neonize"
    delivered_status = "sent"

    def __init__(self, *, engine: Engine | None = None, database_url: str | None = None):
        self._engine = engine
        self._database_url = database_url

    @property
    def engine(self) -> Engine:
        return self._engine or get_engine()

    def prepare(self) -> None:
        """Load neonize (after any fork: this runs in the WA worker process) and quieten its Go log."""
        import neonize.client  # noqa: F401  loads the Go library once, here

        # whatsmeow logs every websocket frame at INFO; the worker's own log says what matters.
        for name in ("whatsmeow", "Whatsmeow", "neonize", "neonize.utils.log"):
            logging.getLogger(name).setLevel(logging.WARNING)
        log.info("WhatsApp: neonize (nomor asli)")

    def store_url(self, session_id: uuid.UUID) -> str:
        return whatsmeow_url(self._database_url or self.engine.url.render_as_string(hide_password=False),
                             schema_for(session_id))

    def has_pairing(self, session_id: uuid.UUID) -> bool:
        schema = schema_for(session_id)
        with self.engine.connect() as conn:
            if conn.scalar(text("SELECT to_regclass(:t)"), {"t": f"{schema}.whatsmeow_device"}) is None:
                return False
            return conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{schema}".whatsmeow_device)'))

    def ensure_store(self, session_id: uuid.UUID) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_for(session_id)}"'))

    def forget(self, session_id: uuid.UUID) -> None:
        """Drop the session's store: the device keys are gone and the next connect pairs afresh."""
        with self.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema_for(session_id)}" CASCADE'))

    def create(self, session_id: uuid.UUID, events: TransportEvents) -> "NeonizeSessionClient":
        self.ensure_store(session_id)
        return NeonizeSessionClient(self, session_id, events)


class NeonizeSessionClient:
    def __init__(self, transport: NeonizeTransport, session_id: uuid.UUID, events: TransportEvents):
        from neonize.client import NewClient

        self._transport = transport
        self.session_id = session_id
        self._events = events
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.connect_error: str | None = None
        # No JID: the schema holds this session's device only, so "the first stored device" is ours (or none).
        self.client = NewClient(transport.store_url(session_id), props=device_props(), uuid=str(session_id))
        self._register_handlers()

    # -- events (Go threads: translate and hand off) --
    def _register_handlers(self) -> None:
        from neonize.events import (
            ClientOutdatedEv,
            ConnectedEv,
            ConnectFailureEv,
            DisconnectedEv,
            LoggedOutEv,
            PairStatusEv,
            TemporaryBanEv,
        )

        self.client.event.qr(self._on_qr)
        self.client.event(PairStatusEv)(self._on_pair_status)
        self.client.event(ConnectedEv)(self._on_connected)
        self.client.event(LoggedOutEv)(self._on_logged_out)
        self.client.event(DisconnectedEv)(self._on_disconnected)
        self.client.event(TemporaryBanEv)(self._on_temporary_ban)
        self.client.event(ClientOutdatedEv)(self._on_outdated)
        self.client.event(ConnectFailureEv)(self._on_connect_failure)

    def _on_qr(self, _client, data: bytes) -> None:
        self._events.on_qr(data.decode() if isinstance(data, bytes) else str(data))

    def _on_pair_status(self, _client, event) -> None:
        if event.Status == event.SUCCESS and event.ID.User:
            self._events.on_connected(event.ID.User)
        elif event.Error:
            log.warning("WA %s: pairing failed: %s", self.session_id, event.Error)

    def _on_connected(self, client, _event) -> None:
        me = getattr(client, "me", None)
        phone = me.JID.User if me is not None and me.JID.User else None
        if phone is None:
            from neonize.exc import NeonizeError

            try:
                phone = client.get_me().JID.User or None
            except NeonizeError:  # the phone number is a nicety here; the status is what matters
                phone = None
        self._events.on_connected(phone)

    def _on_logged_out(self, _client, event) -> None:
        self._events.on_logged_out(_reason_name(event.Reason) or "logged_out")

    def _on_disconnected(self, _client, _event) -> None:
        if not self._stopping.is_set():
            self._events.on_disconnected("Koneksi ke WhatsApp terputus; menyambung ulang.")

    def _on_temporary_ban(self, _client, event) -> None:
        self._events.on_banned(f"Diblokir sementara oleh WhatsApp (kode {event.Code}).", ban_until(event.Expire))

    def _on_outdated(self, _client, _event) -> None:
        self._events.on_outdated()

    def _on_connect_failure(self, _client, event) -> None:
        reason = _reason_name(event.Reason)
        if reason in ("LOGGED_OUT", "MAIN_DEVICE_GONE", "UNKNOWN_LOGOUT"):
            self._events.on_logged_out(reason)
        elif reason == "TEMP_BANNED":
            self._events.on_banned(event.Message or "Diblokir sementara oleh WhatsApp.", None)
        elif reason == "CLIENT_OUTDATED":
            self._events.on_outdated()
        else:
            self._events.on_disconnected(f"WhatsApp menolak koneksi: {event.Message or reason}")

    # -- lifecycle --
    def start(self) -> None:
        """Connect on a daemon thread (neonize's connect blocks until stopped); report through the events."""
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"wa-neonize-{self.session_id}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from neonize.exc import NeonizeError

        try:
            self.client.connect()
        except NeonizeError as exc:  # NeonizeError: the store or the network; reported, the worker retries later
            self.connect_error = str(exc)
            if not self._stopping.is_set():
                code, message = classify_error(str(exc))
                log.warning("WA %s: connect failed (%s): %s", self.session_id, code, exc)
                self._events.on_disconnected(message)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def stop(self) -> None:
        self._stopping.set()
        self.client.stop()
        self.join(timeout=10)

    def logout(self) -> None:
        """Unlink the device from the phone (if it is linked) and drop its store."""
        from neonize.exc import NeonizeError

        self._stopping.set()
        try:
            if self.client.is_logged_in:
                self.client.logout()
        except NeonizeError:  # already unlinked on the phone, or offline: forgetting the keys is what matters
            log.warning("WA %s: logout failed; dropping the store anyway", self.session_id, exc_info=True)
        self.stop()
        self._transport.forget(self.session_id)

    def is_connected(self) -> bool:
        return bool(self.client.is_connected and self.client.is_logged_in)

    # -- messages --
    def check_number(self, phone: str) -> NumberCheck:
        from neonize.exc import IsOnWhatsAppError

        if not self.is_connected():
            raise WaError(NOT_CONNECTED, NOT_CONNECTED_MESSAGE)
        digits = "".join(ch for ch in phone if ch.isdigit())
        try:
            answers = self.client.is_on_whatsapp(f"+{digits}")  # the "+" matters to whatsmeow
        except IsOnWhatsAppError as exc:
            raise WaError(*classify_error(str(exc))) from exc
        for answer in answers:
            if answer.IsIn:
                return NumberCheck(on_whatsapp=True, jid=f"{answer.JID.User}@{answer.JID.Server}")
        return NumberCheck(on_whatsapp=False, jid=None)

    def send_text(self, phone: str, text: str, *, message_id: str | None = None) -> SendReceipt:
        """Send a text; `message_id` cannot be set with neonize 0.5.2 (see the module docstring)."""
        from neonize.exc import SendMessageError
        from neonize.utils.jid import build_jid

        if not self.is_connected():
            raise WaSendError(NOT_CONNECTED, NOT_CONNECTED_MESSAGE)
        digits = "".join(ch for ch in phone if ch.isdigit())
        try:
            response = self.client.send_message(build_jid(digits), text)
        except SendMessageError as exc:
            raise WaSendError(*classify_error(str(exc))) from exc
        return SendReceipt(message_id=response.ID or None, timestamp=_timestamp(response.Timestamp))

    def simulate_scan(self) -> None:
        raise WaError(NOT_SUPPORTED, "Simulasi scan hanya tersedia pada mode SIMULATOR.")


def _reason_name(value: int) -> str | None:
    from neonize.proto.Neonize_pb2 import ConnectFailureReason

    try:
        return ConnectFailureReason.Name(value)
    except ValueError:
        return None


def ban_until(expire: int, now: datetime | None = None) -> datetime | None:
    """When a temporary ban ends: neonize reports the Go duration (nanoseconds) or, in some builds, seconds."""
    if not expire or expire < 0:
        return None
    seconds = expire / 1e9 if expire > 10**9 else expire
    return (now or datetime.now(UTC)) + timedelta(seconds=seconds)


def _timestamp(value: int) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(value / 1000 if value > 10**12 else value, UTC)
