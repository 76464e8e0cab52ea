"""One number the WA worker runs: its client, its sender loop's thread, and the transport's callbacks for it.

Every write a callback makes is fenced by the lease (`WHERE worker_id = <this worker>`): a client still winding
down after its number was taken over cannot overwrite what the new owner wrote.
"""

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, literal

from shared.models.enums import WaSessionStatus
from shared.models.whatsapp import WaSession
from shared.timeutil import WIB, utcnow
from shared.wa import events
from shared.wa.transport import SessionClient

if TYPE_CHECKING:
    from worker.wa.manager import WaManager

log = logging.getLogger(__name__)

LOGGED_OUT_REASON = "WhatsApp tidak lagi tertaut (logout dari HP). Hubungkan ulang dan pindai QR."
OUTDATED_REASON = "WhatsApp menolak versi klien ini. Perbarui aplikasi FiberNode."
DEFAULT_BAN_HOURS = 24


@dataclass(eq=False)
class Runner:
    """One session this process holds the lease of: its client and sender loop thread."""

    session_id: uuid.UUID
    owner_id: uuid.UUID
    # time.monotonic() just before the lease was last claimed or renewed: it lasts at least lease seconds from here.
    leased_at: float = field(default_factory=time.monotonic)
    started_at: float = field(default_factory=time.monotonic)
    client: SessionClient | None = None
    # Set when a renewal or a claim showed the lease is gone: stop at once, write nothing more for the number.
    lost: bool = False
    ready: threading.Event = field(default_factory=threading.Event)
    wake: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    sender_thread: threading.Thread | None = None


class SessionEvents:
    """The transport's callbacks for one session: a short fenced write to wa_sessions, then a push to the owner."""

    def __init__(self, manager: "WaManager", runner: Runner):
        self._manager = manager
        self._runner = runner

    def _write(self, **values: Any) -> WaSession | None:
        return self._manager.update_session(self._runner.session_id, owned=True, **values)

    def on_qr(self, code: str) -> None:
        row = self._manager.update_session(self._runner.session_id, owned=True, only_if_enabled=True, qr_code=code,
                                           qr_updated_at=utcnow(), status=WaSessionStatus.connecting)
        if row is not None and row.enabled:
            events.emit("wa:qr", {"sessionId": str(row.id), "qr": code}, row.user_id)
            self._manager.emit_status(row)
        self._runner.ready.set()

    def on_connected(self, phone_number: str | None) -> None:
        values: dict[str, Any] = {"status": WaSessionStatus.connected, "last_connected_at": utcnow(),
                                  "qr_code": None, "qr_updated_at": None, "status_reason": None}
        if phone_number:
            values["phone_number"] = phone_number[:20]
        self._manager.emit_status(self._write(**values))
        self._runner.ready.set()
        self._runner.wake.set()

    def on_disconnected(self, reason: str | None) -> None:
        disconnected = literal(WaSessionStatus.disconnected, type_=WaSession.__table__.c.status.type)
        status = case((WaSession.status == WaSessionStatus.connected, disconnected), else_=WaSession.status)
        self._manager.emit_status(self._write(status=status, status_reason=reason))
        self._runner.ready.set()

    def on_logged_out(self, reason: str | None) -> None:
        # Unlinked from the phone: the wish ends here; reconcile then stops the client and forgets the pairing.
        self._manager.emit_status(self._write(status=WaSessionStatus.logged_out, enabled=False, qr_code=None,
                                              qr_updated_at=None, status_reason=LOGGED_OUT_REASON))
        log.warning("WA %s: logged out (%s)", self._runner.session_id, reason)
        self._runner.ready.set()
        self._manager.request_reconcile()

    def on_banned(self, reason: str, until: datetime | None) -> None:
        until = until or utcnow() + timedelta(hours=DEFAULT_BAN_HOURS)
        text = f"{reason} Sampai {until.astimezone(WIB):%d/%m/%Y %H:%M} WIB."
        self._manager.emit_status(self._write(status=WaSessionStatus.banned, status_reason=text,
                                              paused_until=until, pause_reason=text))
        self._runner.ready.set()

    def on_outdated(self) -> None:
        self._manager.emit_status(self._write(status=WaSessionStatus.outdated, status_reason=OUTDATED_REASON))
        self._runner.ready.set()
