import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, updated_at, uuid_pk


class Setting(Base):
    __tablename__ = "settings"

    id: Mapped[uuid.UUID] = uuid_pk()
    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = updated_at()


class RefreshToken(Base):
    """A refresh token, stored as its SHA-256 hash; rotated on every use."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        Index("idx_refresh_tokens_user_id", "user_id"),
        Index("idx_refresh_tokens_expires", "expires_at"),
        Index("idx_refresh_tokens_family_id", "family_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(500), unique=True)
    user_agent: Mapped[str] = mapped_column(String(500))
    ip_address: Mapped[str] = mapped_column(String(45))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Additions: a rotated token is kept (revoked) so its reuse can be detected and the family revoked.
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # One login is one family (a session): the access token's `sid`. The family lives while one token is unrevoked.
    family_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), default=uuid.uuid4)
    created_at: Mapped[datetime] = created_at()


class ActivityLog(Base):
    __tablename__ = "activity_logs"
    __table_args__ = (Index("idx_activity_logs_created", "created_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True),
                                                      ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(100))
    resource: Mapped[str | None] = mapped_column(String(100))
    resource_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    metadata_: Mapped[dict | None] = mapped_column("metadata", JSONB)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = created_at()


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("idx_login_attempts_username_created", "username", "created_at"),
        Index("idx_login_attempts_ip_created", "ip_address", "created_at"),
        Index("idx_login_attempts_lower_username_created", func.lower(text("username")), "created_at"),
        Index("idx_login_attempts_created", "created_at"),  # the retention purge's batches
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    username: Mapped[str] = mapped_column(String(100))
    ip_address: Mapped[str] = mapped_column(String(45))
    success: Mapped[bool] = mapped_column(Boolean)
    user_agent: Mapped[str | None] = mapped_column(String(500))
    # Who tried: "d:<device id>" (the user's signed device cookie) or "ip:<address>"; lockouts count per client.
    client_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_at()


class CustomerImport(Base):
    """A validated CSV upload awaiting confirmation (addition: makes confirm idempotent)."""

    __tablename__ = "customer_imports"

    id: Mapped[uuid.UUID] = uuid_pk()
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="validated")  # validated | imported
    valid_rows: Mapped[list] = mapped_column(JSONB)
    valid_count: Mapped[int] = mapped_column(Integer)
    invalid_count: Mapped[int] = mapped_column(Integer)
    imported_count: Mapped[int | None] = mapped_column(Integer)
    skipped_count: Mapped[int | None] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
