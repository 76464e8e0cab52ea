"""The transport interface: what the WA worker needs from a WhatsApp client, whichever it is.

neonize (the real one, `worker/wa/neonize_transport.py`) and the simulator (`shared/wa/simulator.py`) implement
it; an official Cloud API adapter would too, without touching the callers. See docs/whatsapp-engine.md.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Error codes a send or a check can fail with; the message is Indonesian and goes to the log.
NOT_CONNECTED = "not_connected"
NOT_ON_WHATSAPP = "not_on_whatsapp"
REACH_OUT_REFUSED = "reach_out_refused"  # WhatsApp's 463 "reach-out timelock" for cold first messages
TEMPORARILY_BANNED = "temporarily_banned"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
NOT_SUPPORTED = "not_supported"
ERROR = "error"

# A number that is refused or banned must stop sending: these pause the session's paced sends.
PAUSING_CODES = frozenset({REACH_OUT_REFUSED, TEMPORARILY_BANNED})
# Sending again cannot help: fail at once, no retry.
PERMANENT_CODES = frozenset({NOT_ON_WHATSAPP})


class WaError(Exception):
    """A transport failure with a code from this module and a message for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class WaSendError(WaError):
    pass


@dataclass(frozen=True)
class NumberCheck:
    on_whatsapp: bool
    jid: str | None = None


@dataclass(frozen=True)
class SendReceipt:
    message_id: str | None
    timestamp: datetime | None = None


class TransportEvents(Protocol):
    """The worker's callbacks for one session. They run on the client's threads: record and hand off, fast."""

    def on_qr(self, code: str) -> None: ...
    def on_connected(self, phone_number: str | None) -> None: ...
    def on_disconnected(self, reason: str | None) -> None: ...
    def on_logged_out(self, reason: str | None) -> None: ...
    def on_banned(self, reason: str, until: datetime | None) -> None: ...
    def on_outdated(self) -> None: ...


class SessionClient(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def logout(self) -> None: ...
    def is_connected(self) -> bool: ...
    def check_number(self, phone: str) -> NumberCheck: ...
    def send_text(self, phone: str, text: str, *, message_id: str | None = None) -> SendReceipt: ...
    def simulate_scan(self) -> None: ...


class Transport(Protocol):
    name: str
    delivered_status: str  # the log status of a successful send: "sent" (neonize) or "delivered" (simulator)

    def prepare(self) -> None: ...
    def has_pairing(self, session_id: uuid.UUID) -> bool: ...
    def create(self, session_id: uuid.UUID, events: TransportEvents) -> SessionClient: ...
