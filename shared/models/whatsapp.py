import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, updated_at, uuid_pk
from shared.models.enums import WaSessionStatus, wa_session_status


class WaSession(Base):
    """Status mirror of one user's WhatsApp session."""

    __tablename__ = "wa_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"),
                                               unique=True)
    status: Mapped[WaSessionStatus] = mapped_column(wa_session_status, server_default=text("'disconnected'"),
                                                    default=WaSessionStatus.disconnected)
    phone_number: Mapped[str | None] = mapped_column(String(20))
    last_connected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class WaMessageLog(Base):
    """Every WhatsApp message attempt, sent or failed."""

    __tablename__ = "wa_message_logs"
    __table_args__ = (
        Index("idx_wa_logs_session", "session_id"),
        Index("idx_wa_logs_customer", "customer_id"),
        Index("idx_wa_logs_type", "message_type"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                         ForeignKey("wa_sessions.id", ondelete="SET NULL"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                          ForeignKey("customers.id", ondelete="SET NULL"))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                         ForeignKey("invoices.id", ondelete="SET NULL"))
    message_type: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    error_message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WaMessageQueue(Base):
    """Paced outgoing messages; this table, not the broker, is the truth about what was sent."""

    __tablename__ = "wa_message_queue"
    __table_args__ = (
        Index("idx_wa_queue_status_scheduled", "status", "scheduled_at"),
        Index("idx_wa_queue_session", "session_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("wa_sessions.id"))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                          ForeignKey("customers.id", ondelete="SET NULL"))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                         ForeignKey("invoices.id", ondelete="SET NULL"))
    message_type: Mapped[str] = mapped_column(String(50), server_default=text("'reminder'"), default="reminder")
    phone: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    status: Mapped[str] = mapped_column(String(20), server_default=text("'pending'"), default="pending")
    retry_count: Mapped[int] = mapped_column(Integer, server_default=text("0"), default=0)
    max_retries: Mapped[int] = mapped_column(Integer, server_default=text("3"), default=3)
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
