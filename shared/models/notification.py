import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base


class NotificationRead(Base):
    """One user's "seen it" mark on one notification.

    Notifications themselves are derived from state (a session's status, failed sends, billing runs, export jobs,
    backup health) each time they are read; the key names the occurrence (e.g. the session that dropped at a
    given time), so a new occurrence is unread again.
    """

    __tablename__ = "notification_reads"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                               primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
