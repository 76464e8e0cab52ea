import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, uuid_pk


class BackupRun(Base):
    """One backup attempt (compose's db-backup or `make backup`), good or failed.

    Health reads the newest good one: older than 36 h is a warning on the superadmin's dashboard. Written with
    plain SQL by compose/backup/backup.sh (psql), so the columns keep to simple types with server defaults.
    A uuid key lets `make restore` put back the runs the restored dump did not have without id clashes.
    """

    __tablename__ = "backup_runs"

    id: Mapped[uuid.UUID] = uuid_pk()
    source: Mapped[str] = mapped_column(String(20))  # compose | make
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    file: Mapped[str | None] = mapped_column(String(500))  # the dump's name, when one was written
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    off_host: Mapped[str | None] = mapped_column(String(500))  # the rclone target it was copied to, if any
    error: Mapped[str | None] = mapped_column(Text)
