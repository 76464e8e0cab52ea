"""The simulator transport (`WA_TRANSPORT=simulator`): WhatsApp as it looks from the worker, with no WhatsApp.

For demos, training, staging and tests. A session shows a QR `SIMULASI-<random>` that rotates every 20 s until
the phone's scan is played (`simulate_scan`, from `POST /api/wa/simulator/scan` through the bus); it then
"connects" with the owner's phone number (users.phone, else `62800` + digits from the session id). Numbers whose
last four digits are `0000` are not on WhatsApp. A send is recorded in memory (`SimulatorTransport.messages`)
and reported `delivered`; a repeat with the same message id is not delivered twice.

The pairing lives in `wa_sessions` itself (enabled, phone_number, last_connected_at, and not logged out), so it
survives a worker restart like a real linked device does; `logout` forgets it by clearing `phone_number`.
"""

import logging
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db import get_sessionmaker, session_scope
from shared.models import User
from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.phone import normalize_phone
from shared.timeutil import utcnow
from shared.wa.transport import (
    NOT_CONNECTED,
    NOT_ON_WHATSAPP,
    NOT_SUPPORTED,
    NumberCheck,
    SendReceipt,
    TransportEvents,
    WaError,
    WaSendError,
)

log = logging.getLogger(__name__)

QR_PREFIX = "SIMULASI-"
NOT_CONNECTED_MESSAGE = "Session WA tidak terkoneksi"
NOT_ON_WHATSAPP_MESSAGE = "Nomor tidak terdaftar di WhatsApp"


def on_whatsapp(phone: str) -> bool:
    """The simulator's rule: a number ending in 0000 is not on WhatsApp."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return bool(digits) and not digits.endswith("0000")


def fallback_phone(session_id: uuid.UUID) -> str:
    """A stable made-up number for an owner without a phone: 62800 + seven digits from the session id."""
    return f"62800{session_id.int % 10_000_000:07d}"


@dataclass(frozen=True)
class SimulatedMessage:
    session_id: uuid.UUID
    phone: str
    text: str
    message_id: str
    sent_at: datetime


class SimulatorTransport:
    name = "simulator"
    delivered_status = "delivered"

    def __init__(self, *, session_factory: sessionmaker[Session] | None = None, qr_interval: float = 20.0):
        self._session_factory = session_factory
        self.qr_interval = qr_interval
        self.messages: list[SimulatedMessage] = []
        self._delivered: dict[str, SendReceipt] = {}
        self._lock = threading.Lock()

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._session_factory or get_sessionmaker()

    def prepare(self) -> None:
        log.info("WhatsApp SIMULATOR: tidak ada pesan yang benar-benar dikirim")

    def has_pairing(self, session_id: uuid.UUID) -> bool:
        with session_scope(self.session_factory) as session:
            row = session.get(WaSession, session_id)
            return bool(row is not None and row.enabled and row.phone_number and row.last_connected_at
                        and row.status != WaSessionStatus.logged_out)

    def create(self, session_id: uuid.UUID, events: TransportEvents) -> "SimulatorClient":
        return SimulatorClient(self, session_id, events)

    # -- used by the clients --
    def paired_phone(self, session_id: uuid.UUID) -> str | None:
        with session_scope(self.session_factory) as session:
            return session.scalar(select(WaSession.phone_number).where(WaSession.id == session_id))

    def owner_phone(self, session_id: uuid.UUID) -> str:
        with session_scope(self.session_factory) as session:
            phone = session.scalar(select(User.phone).join(WaSession, WaSession.user_id == User.id)
                                   .where(WaSession.id == session_id))
        return normalize_phone(phone) or fallback_phone(session_id)

    def forget_pairing(self, session_id: uuid.UUID) -> None:
        with session_scope(self.session_factory) as session:
            session.execute(update(WaSession).where(WaSession.id == session_id).values(phone_number=None))

    def deliver(self, session_id: uuid.UUID, phone: str, text: str, message_id: str) -> SendReceipt:
        with self._lock:
            if message_id in self._delivered:  # the same message again (a retry): WhatsApp shows it once
                return self._delivered[message_id]
            receipt = SendReceipt(message_id=message_id, timestamp=utcnow())
            self._delivered[message_id] = receipt
            self.messages.append(SimulatedMessage(session_id, phone, text, message_id, receipt.timestamp))
            return receipt


class SimulatorClient:
    def __init__(self, transport: SimulatorTransport, session_id: uuid.UUID, events: TransportEvents):
        self._transport = transport
        self.session_id = session_id
        self._events = events
        self._connected = False
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._qr_thread: threading.Thread | None = None
        self.qr: str | None = None

    def start(self) -> None:
        """Resume a stored pairing at once, else show a QR that rotates until `simulate_scan`."""
        self._stopped.clear()
        phone = self._transport.paired_phone(self.session_id) if self._transport.has_pairing(self.session_id) \
            else None
        if phone:
            self._connect(phone)
            return
        self._qr_thread = threading.Thread(target=self._rotate_qr, name=f"wa-sim-qr-{self.session_id}", daemon=True)
        self._qr_thread.start()

    def _rotate_qr(self) -> None:
        while not self._stopped.is_set():
            with self._lock:
                if self._connected:
                    return
                self.qr = f"{QR_PREFIX}{secrets.token_urlsafe(18)}"
            self._events.on_qr(self.qr)
            self._stopped.wait(self._transport.qr_interval)

    def _connect(self, phone: str) -> None:
        with self._lock:
            self._connected = True
            self.qr = None
        self._events.on_connected(phone)

    def simulate_scan(self) -> None:
        """Play the phone scanning the QR: connect with the owner's number."""
        with self._lock:
            if self._stopped.is_set() or self._connected or self.qr is None:
                raise WaError(NOT_SUPPORTED, "Tidak ada QR yang sedang ditampilkan.")
        self._connect(self._transport.owner_phone(self.session_id))

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            self._connected = False
            self.qr = None
        if self._qr_thread is not None and self._qr_thread is not threading.current_thread():
            self._qr_thread.join(timeout=2)

    def logout(self) -> None:
        self.stop()
        self._transport.forget_pairing(self.session_id)

    def is_connected(self) -> bool:
        return self._connected

    def check_number(self, phone: str) -> NumberCheck:
        if not self._connected:
            raise WaError(NOT_CONNECTED, NOT_CONNECTED_MESSAGE)
        if not on_whatsapp(phone):
            return NumberCheck(on_whatsapp=False, jid=None)
        return NumberCheck(on_whatsapp=True, jid=f"{phone.lstrip('+')}@s.whatsapp.net")

    def send_text(self, phone: str, text: str, *, message_id: str | None = None) -> SendReceipt:
        if not self._connected:
            raise WaSendError(NOT_CONNECTED, NOT_CONNECTED_MESSAGE)
        if not on_whatsapp(phone):
            raise WaSendError(NOT_ON_WHATSAPP, NOT_ON_WHATSAPP_MESSAGE)
        return self._transport.deliver(self.session_id, phone, text, message_id or f"SIM{uuid.uuid4().hex[:17].upper()}")
