"""Audit trail: every write records who did what to which resource, from which IP."""

import uuid

from sqlalchemy.orm import Session

from shared.models import ActivityLog, User


def record_activity(session: Session, *, actor: User | None, action: str, resource: str | None = None,
                    resource_id: uuid.UUID | None = None, metadata: dict | None = None) -> None:
    # The API puts the client's IP on the session (session.info); workers have none.
    session.add(ActivityLog(
        user_id=actor.id if actor else None,
        action=action,
        resource=resource,
        resource_id=resource_id,
        metadata_=metadata,
        ip_address=session.info.get("ip_address"),
    ))
