import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    text,
)
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
    # The user's wish to keep the number linked; the WA worker reconciles its clients to it.
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    qr_code: Mapped[str | None] = mapped_column(Text)
    qr_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_reason: Mapped[str | None] = mapped_column(Text)
    # Paced sends stop until then after a 463 reach-out refusal or a temporary ban.
    paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pause_reason: Mapped[str | None] = mapped_column(Text)
    worker_id: Mapped[str | None] = mapped_column(String(100))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class WaNumberCheck(Base):
    """Whether WhatsApp knows a phone number, as seen from one session (checked before the first message)."""

    __tablename__ = "wa_number_checks"

    session_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("wa_sessions.id", ondelete="CASCADE"),
                                                  primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    on_whatsapp: Mapped[bool] = mapped_column(Boolean)
    jid: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WaMessageLog(Base):
    """Every WhatsApp message attempt, sent or failed."""

    __tablename__ = "wa_message_logs"
    __table_args__ = (
        Index("idx_wa_logs_session", "session_id"),
        Index("idx_wa_logs_customer", "customer_id"),
        Index("idx_wa_logs_type", "message_type"),
        Index("idx_wa_logs_user_sent", "user_id", "sent_at"),
        Index("idx_wa_logs_sent", "sent_at"),  # the retention purge, and all owners' logs newest first
        Index("idx_wa_logs_queue", "queue_id"),
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
    # The number's owner: the log's tenancy, also for test sends that have no customer.
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"))
    queue_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                       ForeignKey("wa_message_queue.id", ondelete="SET NULL"))
    wa_message_id: Mapped[str | None] = mapped_column(String(64))


class WaMessageQueue(Base):
    """Paced outgoing messages; this table, not the broker, is the truth about what was sent."""

    __tablename__ = "wa_message_queue"
    __table_args__ = (
        Index("idx_wa_queue_status_scheduled", "status", "scheduled_at"),
        Index("idx_wa_queue_session", "session_id"),
        Index("idx_wa_queue_claim", "session_id", "status", "kind", "scheduled_at"),
        Index("idx_wa_queue_sent", "session_id", "sent_at", postgresql_where=text("status = 'sent'")),
        Index("uq_wa_queue_reminder_invoice", "invoice_id", unique=True,
              postgresql_where=text("message_type = 'reminder' AND kind = 'paced' AND invoice_id IS NOT NULL")),
        CheckConstraint("kind IN ('paced', 'direct')", name="ck_wa_queue_kind"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')", name="ck_wa_queue_status"),
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
    # paced: reminders and bulk sends under the anti-ban pacing; direct: receipt, isolation, manual, resend, test.
    kind: Mapped[str] = mapped_column(String(10), server_default=text("'paced'"), default="paced")
    # Chosen before the first attempt, reused by every retry: a resend after a crash is the same message.
    wa_message_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
