import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, true
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, updated_at, uuid_pk
from shared.models.enums import UserRole, user_role


class User(Base):
    """A superadmin or a mitra; their businessName is the "area" of the customers they own."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = uuid_pk()
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(user_role)
    phone: Mapped[str | None] = mapped_column(String(20))
    business_name: Mapped[str] = mapped_column(String(255), unique=True)
    bank_name: Mapped[str | None] = mapped_column(String(100))
    bank_account: Mapped[str | None] = mapped_column(String(50))
    bank_holder: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=true(), default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    @property
    def is_superadmin(self) -> bool:
        return self.role == UserRole.superadmin
