import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, created_at, updated_at, uuid_pk


class Package(Base):
    """An internet package, global to all owners; soft-deleted through is_active."""

    __tablename__ = "packages"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(255))
    speed: Mapped[str] = mapped_column(String(50))
    price: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=true(), default=True)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()
