from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base


class ServiceHeartbeat(Base):
    """The last sign of life of one long-running process (a Celery worker, beat, a WA worker).

    Kept in PostgreSQL, not Redis, so health still knows who was alive when Redis is down.
    """

    __tablename__ = "service_heartbeats"

    service: Mapped[str] = mapped_column(String(30), primary_key=True)  # worker | beat | wa | ...
    instance: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid or a worker id
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    info: Mapped[dict] = mapped_column(JSONB, server_default="{}", default=dict)
