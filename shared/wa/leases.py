"""Which WA worker runs a number: a lease in the session's own `wa_sessions` row, so owning costs no connection.

`worker_id` names the holder and `heartbeat_at` is its last renewal, on the database's clock; the lease lasts
LEASE_SECONDS from there. A worker claims with one conditional UPDATE, renews all of its leases with one UPDATE per
beat, releases them when it stops, and checks its lease in the same transaction as every claim of a queue row
(fencing: a worker that lost a number claims nothing more for it). docs/whatsapp-engine.md, Ownership.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from shared.models import WaSession

LEASE_SECONDS = 30.0


@dataclass(frozen=True)
class Lease:
    """The worker a session must be leased to for its rows to be claimed, and how long a renewal lasts."""

    worker_id: str
    seconds: float = LEASE_SECONDS


class LeaseLost(Exception):
    """This worker no longer holds the session's lease: it must not claim or send for it."""


def lease_fresh(seconds: float) -> ColumnElement[bool]:
    """Whether a session's lease (its last renewal) is younger than `seconds`."""
    # The database's clock, not a worker's: every worker judges a lease against the same time.
    return WaSession.heartbeat_at >= func.clock_timestamp() - timedelta(seconds=seconds)


def claim_session(session: Session, session_id: uuid.UUID, lease: Lease) -> bool:
    """Take the session's lease if it is wished for and free, ours, or expired; one conditional UPDATE decides."""
    stmt = (update(WaSession)
            .where(WaSession.id == session_id, WaSession.enabled.is_(True),
                   or_(WaSession.worker_id.is_(None), WaSession.worker_id == lease.worker_id,
                       WaSession.heartbeat_at.is_(None), ~lease_fresh(lease.seconds)))
            .values(worker_id=lease.worker_id, heartbeat_at=func.clock_timestamp())
            .returning(WaSession.id).execution_options(synchronize_session=False))
    return session.execute(stmt).scalar() is not None


def renew_leases(session: Session, lease: Lease, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Renew every lease this worker still holds among `session_ids` in one statement; return the ones kept.

    A lease that expired but was not taken is renewed too: nobody else has claimed (or sent for) the number.
    """
    if not session_ids:
        return set()
    stmt = (update(WaSession).where(WaSession.id.in_(session_ids), WaSession.worker_id == lease.worker_id)
            .values(heartbeat_at=func.clock_timestamp()).returning(WaSession.id)
            .execution_options(synchronize_session=False))
    return set(session.scalars(stmt))


def release_sessions(session: Session, lease: Lease, session_ids: list[uuid.UUID] | None = None,
                     **values: object) -> int:
    """Give up this worker's leases (all, or those in `session_ids`), writing `values` too; never another's."""
    stmt = update(WaSession).where(WaSession.worker_id == lease.worker_id)
    if session_ids is not None:
        stmt = stmt.where(WaSession.id.in_(session_ids))
    result = session.execute(stmt.values(worker_id=None, **values).execution_options(synchronize_session=False))
    return result.rowcount or 0


def holds_lease(session: Session, session_id: uuid.UUID, lease: Lease, *, lock: bool = False) -> bool:
    """Whether this worker holds a fresh lease on the session; `lock` keeps it so until the transaction ends.

    FOR SHARE makes another worker's claim of the session wait for this transaction, so a claim made under a
    fresh lease commits before anyone can take the number over.
    """
    stmt = select(WaSession.id).where(WaSession.id == session_id, WaSession.worker_id == lease.worker_id,
                                      lease_fresh(lease.seconds))
    return session.scalar(stmt.with_for_update(read=True) if lock else stmt) is not None


def session_is_owned(session: Session, session_id: uuid.UUID, *, lease_seconds: float = LEASE_SECONDS) -> bool:
    """Whether any worker holds a fresh lease on the session."""
    return session.scalar(select(WaSession.id).where(WaSession.id == session_id, WaSession.worker_id.is_not(None),
                                                     lease_fresh(lease_seconds))) is not None
